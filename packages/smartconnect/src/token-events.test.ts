import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { type GrantKitEvent, subscribe, type TokenAcquireEvent } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

let server: ServedHandler;
let mock: MockSmartConnect;
let events: GrantKitEvent[];
let stop: () => void;
const clock = { now: 0 };

beforeEach(async () => {
  clock.now = Date.UTC(2026, 10, 23, 12);
  mock = createMockSmartConnect({ now: () => clock.now, tokenTtlSeconds: 3600 });
  server = await serveFetchHandler(mock);
  events = [];
  stop = subscribe((event) => events.push(event));
});
afterEach(async () => {
  stop();
  await server.close();
});

function client() {
  return createSmartConnectClient({
    baseUrl: server.url,
    credentials,
    now: () => clock.now,
    tokenRetry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

const ends = () =>
  events.filter((event): event is TokenAcquireEvent => event.channel === 'grantkit:token' && event.phase !== 'start');

describe('token events of the SmartConnect client', () => {
  it('a cold start of 50 concurrent calls is one fetched acquisition and 49 coalesced, the token request its child', async () => {
    const smartconnect = client();
    await Promise.all(Array.from({ length: 50 }, () => smartconnect.api.get('api/v1/me').json()));
    const outcomes = ends().map((event) => event.outcome);
    expect(outcomes.filter((outcome) => outcome === 'fetched')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'coalesced')).toHaveLength(49);
    const fetched = ends().find((event) => event.outcome === 'fetched') as TokenAcquireEvent;
    expect(fetched).toMatchObject({ reason: 'cold', attempts: 1 });
    const tokenRequests = events.filter((event) => event.channel === 'grantkit:http' && event.purpose === 'token');
    expect(tokenRequests).toEqual([
      expect.objectContaining({ parentId: fetched.id, method: 'POST', url: `${server.url}/token`, status: 200 }),
    ]);
    expect(events.filter((event) => event.channel === 'grantkit:http' && event.purpose === 'api')).toHaveLength(50);
  });

  it('counts cache hits, renews before expiry and after a 401, with the reason of each', async () => {
    const smartconnect = client();
    await smartconnect.api.get('api/v1/me').json();
    await smartconnect.api.get('api/v1/me').json();
    clock.now += 3590 * 1000;
    await smartconnect.api.get('api/v1/me').json();
    mock.revokeAllTokens();
    await smartconnect.api.get('api/v1/me').json();
    const cache = events.flatMap((event) => (event.channel === 'grantkit:token:cache' ? [event.outcome] : []));
    // The 401 retry reads the cache twice: to see whether the token changed meanwhile, then after the renewal.
    expect(cache).toEqual(['miss', 'hit', 'miss', 'hit', 'hit', 'hit']);
    expect(ends().map((event) => [event.reason, event.outcome])).toEqual([
      ['cold', 'fetched'],
      ['expiring', 'fetched'],
      ['rejected', 'fetched'],
    ]);
    const retried = events.filter((event) => event.channel === 'grantkit:http' && event.purpose === 'api').at(-1);
    expect(retried).toMatchObject({ status: 200, resendCount: 1 });
  });

  it('gives the calls that join a renewal after a 401 the reason rejected, not cold, and a cold start after it cold', async () => {
    const calls = 10;
    const deferred = () => {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      return { promise, resolve };
    };
    // The first 401 starts the renewal; the other calls get their 401 once its token request is on its way, and
    // that request is answered once every call got its 401: each of them finds the renewal in flight.
    const renewing = deferred();
    const everyCallRefused = deferred();
    let refused = 0;
    let revoked = false;
    const smartconnect = createSmartConnectClient({
      baseUrl: server.url,
      credentials,
      now: () => clock.now,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (revoked && request.url.endsWith('/token')) {
          renewing.resolve();
          await everyCallRefused.promise;
        }
        const response = await fetch(request);
        if (response.status === 401) {
          refused += 1;
          if (refused > 1) await renewing.promise;
          if (refused === calls) everyCallRefused.resolve();
        }
        return response;
      },
    });
    await smartconnect.api.get('api/v1/me').json();
    const before = ends().length;
    mock.revokeAllTokens();
    revoked = true;
    await Promise.all(Array.from({ length: calls }, () => smartconnect.api.get('api/v1/me').json()));
    expect(
      ends()
        .slice(before)
        .map((event) => [event.reason, event.outcome]),
    ).toEqual([['rejected', 'fetched'], ...Array.from({ length: calls - 1 }, () => ['rejected', 'coalesced'])]);
    expect(mock.stats.tokenRequests).toBe(2);

    // Once the renewal is over, an empty cache is a cold one again.
    await smartconnect.signOut();
    await smartconnect.api.get('api/v1/me').json();
    expect(ends().at(-1)).toMatchObject({ reason: 'cold', outcome: 'fetched' });
  });

  it('reports a token endpoint that fails with the error code, then its recovery', async () => {
    const smartconnect = createSmartConnectClient({
      baseUrl: server.url,
      credentials,
      now: () => clock.now,
      tokenRetry: { limit: 0 },
    });
    mock.failNextTokenRequests(1, { status: 503 });
    await expect(smartconnect.api.get('api/v1/me').json()).rejects.toThrow();
    await smartconnect.api.get('api/v1/me').json();
    expect(ends().map((event) => [event.outcome, event.errorCode])).toEqual([
      ['failed', 'http_error'],
      ['fetched', undefined],
    ]);
  });

  it('never carries a credential or a token', async () => {
    const smartconnect = client();
    await smartconnect.api.get('api/v1/me').json();
    const token = (await smartconnect.getToken()).expose();
    const text = JSON.stringify(events);
    for (const secret of [
      credentials.username,
      credentials.password,
      credentials.clientId,
      credentials.clientSecret,
      token,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  describe('on the Node TracingChannel grantkit:token', () => {
    it('publishes start and asyncEnd with the outcome, and a store bound to start reaches the token request', async () => {
      stop();
      const tracing = diagnosticsChannel.tracingChannel('grantkit:token');
      const seen: string[] = [];
      const handlers = {
        start: (message: unknown) => seen.push(`start ${(message as TokenAcquireEvent).reason}`),
        end: () => undefined,
        asyncStart: () => undefined,
        asyncEnd: (message: unknown) => seen.push(`asyncEnd ${(message as TokenAcquireEvent).outcome}`),
        error: () => undefined,
      };
      const storage = new AsyncLocalStorage<string>();
      tracing.start.bindStore(storage, (message) => `acquisition ${(message as TokenAcquireEvent).id}`);
      tracing.subscribe(handlers);
      const storesAtTokenRequest: (string | undefined)[] = [];
      try {
        const smartconnect = createSmartConnectClient({
          baseUrl: server.url,
          credentials,
          now: () => clock.now,
          fetch: (input, init) => {
            if (String(input instanceof Request ? input.url : input).endsWith('/token'))
              storesAtTokenRequest.push(storage.getStore());
            return fetch(input, init);
          },
        });
        await smartconnect.api.get('api/v1/me').json();
      } finally {
        tracing.unsubscribe(handlers);
        tracing.start.unbindStore(storage);
      }
      expect(seen).toEqual(['start cold', 'asyncEnd fetched']);
      expect(storesAtTokenRequest).toEqual([expect.stringMatching(/^acquisition \d+$/)]);
    });
  });
});
