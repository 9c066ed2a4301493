import {
  AccessToken,
  type GrantKitEvent,
  MemoryTokenStore,
  subscribe,
  type TokenAcquireEvent,
  type TokenObtainOptions,
  type TokenStore,
  type VersionedToken,
} from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const NOW = Date.UTC(2026, 11, 7, 10);

/** A coordinating store in one process; `waitFirst` makes the next call wait for "another process" first. */
class SharedStore extends MemoryTokenStore implements TokenStore {
  current: VersionedToken | undefined;
  waitFirst = false;
  #versions = 0;

  async obtain(_key: string, options: TokenObtainOptions): Promise<VersionedToken> {
    if (this.waitFirst) {
      this.waitFirst = false;
      options.onWait?.();
    }
    const current = this.current;
    if (current && current.version !== options.refused && options.isUsable(current.token)) return current;
    this.current = { token: await options.request(), version: `v${++this.#versions}` };
    return this.current;
  }
}

let server: ServedHandler;
let events: GrantKitEvent[];
let stop: () => void;
beforeEach(async () => {
  server = await serveFetchHandler(createMockSmartConnect({ now: () => NOW }));
  events = [];
  stop = subscribe((event) => events.push(event));
});
afterEach(async () => {
  stop();
  await server.close();
});

const clientOf = (tokenStore: TokenStore) =>
  createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore, now: () => NOW });
const outcomes = () =>
  events
    .filter((event): event is TokenAcquireEvent => event.channel === 'grantkit:token' && event.phase !== 'start')
    .map((event) => event.outcome);
const tokenRequests = () =>
  events.filter((event) => event.channel === 'grantkit:http' && event.purpose === 'token').length;

describe('the token events of a client whose store has obtain', () => {
  it('say fetched for the process that sent the request, store_hit and waited for those that took its token', async () => {
    const store = new SharedStore();
    await clientOf(store).getToken();
    await clientOf(store).getToken();
    store.waitFirst = true;
    await clientOf(store).getToken();
    expect(outcomes()).toEqual(['fetched', 'store_hit', 'waited']);
    expect(tokenRequests()).toBe(1);
  });

  it('do not take a stored token that is due for renewal right now (60 s before it expires)', async () => {
    const store = new SharedStore();
    const due = new AccessToken({ value: 'stored-token', expiresAt: NOW + 60_000 });
    store.current = { token: due, version: 'v0' };
    const token = await clientOf(store).getToken();
    expect(token.expose()).not.toBe('stored-token');
    expect(outcomes()).toEqual(['fetched']);
  });

  it('take a stored token that is due for renewal 1 ms from now', async () => {
    const store = new SharedStore();
    const fresh = new AccessToken({ value: 'stored-token', expiresAt: NOW + 60_001 });
    store.current = { token: fresh, version: 'v0' };
    expect((await clientOf(store).getToken()).expose()).toBe('stored-token');
    expect(tokenRequests()).toBe(0);
  });
});
