import {
  type AccessToken,
  MemoryTokenStore,
  type TokenObtainOptions,
  type TokenStore,
  type VersionedToken,
} from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

/** A coordinating store in one process: versions, and a record of every call of `obtain`. */
class RecordingStore extends MemoryTokenStore implements TokenStore {
  readonly calls: { refused: string | null | undefined; stored: boolean }[] = [];
  /** The next call of `obtain` falls back, as a store does when its server is slow: its own token, unstored. */
  fallBackOnce = false;
  #current: VersionedToken | undefined;
  #versions = 0;

  async obtain(_key: string, options: TokenObtainOptions): Promise<VersionedToken> {
    const current = this.#current;
    this.calls.push({ refused: options.refused, stored: current !== undefined });
    if (this.fallBackOnce) {
      this.fallBackOnce = false;
      return { token: await options.request(), version: undefined };
    }
    // `null`: the refused token was never stored, so the stored one may have been refused with it.
    const refusedWith = options.refused === null;
    if (current && !refusedWith && current.version !== options.refused && options.isUsable(current.token)) {
      return current;
    }
    const token: AccessToken = await options.request();
    this.#current = { token, version: `v${++this.#versions}` };
    return this.#current;
  }
}

let server: ServedHandler | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createSmartConnectClient with a store that has obtain', () => {
  it('gets its token through obtain once, then answers from its own cache without touching the store', async () => {
    const mock = createMockSmartConnect();
    server = await serveFetchHandler(mock);
    const store = new RecordingStore();
    const client = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });

    await Promise.all(Array.from({ length: 20 }, () => client.api.get('api/v1/me').json()));
    await client.api.get('api/v1/me').json();

    expect(store.calls).toEqual([{ refused: undefined, stored: false }]);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it('after a 401 asks the store to replace only the refused version', async () => {
    const mock = createMockSmartConnect();
    server = await serveFetchHandler(mock);
    const store = new RecordingStore();
    const client = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });
    await client.api.get('api/v1/me').json();

    mock.revokeAllTokens();
    await Promise.all(Array.from({ length: 5 }, () => client.api.get('api/v1/me').json()));

    expect(store.calls).toEqual([
      { refused: undefined, stored: false },
      { refused: 'v1', stored: true },
    ]);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it('takes a token another process stored, with no token request of its own', async () => {
    const mock = createMockSmartConnect();
    server = await serveFetchHandler(mock);
    const store = new RecordingStore();
    const first = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });
    const second = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });

    await first.api.get('api/v1/me').json();
    await second.api.get('api/v1/me').json();

    expect(mock.stats.tokenRequests).toBe(1);
    expect((await second.getToken()).expose()).toBe((await first.getToken()).expose());
  });

  it('after a 401 on a token the store fell back to, replaces the stored token instead of trying it', async () => {
    const mock = createMockSmartConnect();
    server = await serveFetchHandler(mock);
    const store = new RecordingStore();
    const fleet = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });
    const fellBack = createSmartConnectClient({ baseUrl: server.url, credentials, tokenStore: store });
    await fleet.api.get('api/v1/me').json();
    store.fallBackOnce = true;
    await fellBack.api.get('api/v1/me').json();
    const older = [(await fleet.getToken()).expose(), (await fellBack.getToken()).expose()];

    // Both tokens are revoked: the stored one, which the store cannot tell from the one refused, is not tried.
    mock.revokeAllTokens();
    await Promise.all(Array.from({ length: 5 }, () => fellBack.api.get('api/v1/me').json()));

    expect(older).not.toContain((await fellBack.getToken()).expose());
    expect(store.calls.at(-1)).toEqual({ refused: null, stored: true });
    expect(mock.stats.tokenRequests).toBe(3);
  });
});
