import { AccessToken, isGrantKitError, MemoryTokenStore } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient, type SmartConnectClient } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { createSmithCartClient } from '@grantkit/smithcart';
import { createMockSmithCart } from '@grantkit/smithcart/testing';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { expectNoStaleTokenAfterRenewal, loggingFetch, type SendEvent } from './support/send-log.js';
import { startTokenAuthority, type TokenAuthority } from './support/token-authority.js';
import { failOnUnhandledRejections } from './support/unhandled.js';

const CONCURRENCY = 1_000;
// The event strikes when this many requests of the burst have reached the server.
const EVENT_AT = 500;
// A load test, not a timing test: on a shared 2-core machine a burst can take many seconds, so neither the
// clients' default 10 s timeout nor jest's default should decide the outcome.
const LOAD_TIMEOUT_MS = 60_000;
jest.setTimeout(3 * LOAD_TIMEOUT_MS);

failOnUnhandledRejections();

/** Sends `CONCURRENCY` calls at once and waits for all of them. */
function burst<T>(call: () => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: CONCURRENCY }, call));
}

/** An error and the chain of causes under it, e.g. `NetworkError: … ← TypeError: fetch failed ← ECONNRESET`. */
function describeFailure(reason: unknown): string {
  const parts: string[] = [];
  for (
    let error = reason;
    error !== undefined && error !== null && parts.length < 5;
    error = (error as { cause?: unknown }).cause
  ) {
    const { code } = error as { code?: unknown };
    parts.push(
      typeof code === 'string' && !String(error).includes(code) ? `${String(error)} [${code}]` : String(error),
    );
  }
  return parts.join(' ← ');
}

function expectAllAnswered(results: PromiseSettledResult<unknown>[]): void {
  const failures = new Map<string, number>();
  for (const result of results) {
    if (result.status === 'rejected') {
      const failure = describeFailure(result.reason);
      failures.set(failure, (failures.get(failure) ?? 0) + 1);
    }
  }
  expect(Object.fromEntries(failures)).toEqual({});
  expect(results).toHaveLength(CONCURRENCY);
}

describe('createBearerClient under 1,000 concurrent requests', () => {
  let authority: TokenAuthority;
  const log: SendEvent[] = [];
  let token: AccessToken;
  beforeAll(async () => {
    authority = await startTokenAuthority();
    token = await authority.requestToken();
    log.push({ type: 'renewed', token: token.expose() });
  });
  afterAll(() => authority.close());

  const api = () =>
    createBearerClient({
      prefixUrl: `${authority.url}/api`,
      getToken: () => token,
      refreshToken: async () => {
        token = await authority.requestToken();
        log.push({ type: 'renewed', token: token.expose() });
      },
      fetch: loggingFetch(log, '/api'),
      retry: 0,
      timeout: LOAD_TIMEOUT_MS,
    });

  describe.each([['expires'], ['is revoked']])('when the token %s in the middle of the burst', () => {
    it('renews exactly once, answers every request, and sends no stale token after the renewal', async () => {
      const client = api();
      const issuedBefore = authority.issued;
      const arrivedBefore = authority.arrivals.length;
      authority.onArrival((count) => {
        if (count - arrivedBefore === EVENT_AT) authority.invalidateCurrent();
      });
      expectAllAnswered(await burst(() => client.get('orders').json()));
      expect(authority.issued - issuedBefore).toBe(1);
      expectNoStaleTokenAfterRenewal(log);
    });
  });

  it('saw 401s in both bursts, so the renewals were really exercised', () => {
    expect(authority.arrivals.filter((arrival) => !arrival.accepted).length).toBeGreaterThanOrEqual(2);
  });
});

describe('createSmartConnectClient under 1,000 concurrent requests', () => {
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const now = () => clock;
  let mock: MockSmartConnect;
  let server: ServedHandler;
  let client: SmartConnectClient;
  let arrivals = 0;
  let onArrival: (count: number) => void = () => undefined;
  const log: SendEvent[] = [];
  const store = new MemoryTokenStore();
  // The token store sees every token as soon as the client holds it: that is when a renewal finished.
  const loggingStore = {
    get: (key: string) => store.get(key),
    delete: (key: string) => store.delete(key),
    set: (key: string, token: AccessToken) => {
      log.push({ type: 'renewed', token: token.expose() });
      return store.set(key, token);
    },
  };

  beforeAll(async () => {
    mock = createMockSmartConnect({ now, tokenTtlSeconds: 3_600, includeExpiresIn: true });
    server = await serveFetchHandler(async (request) => {
      if (new URL(request.url).pathname.startsWith('/api/')) {
        arrivals += 1;
        onArrival(arrivals);
      }
      return mock(request);
    });
    client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      tokenStore: loggingStore,
      fetch: loggingFetch(log, '/api/'),
      now,
      timeout: LOAD_TIMEOUT_MS,
      kyOptions: { retry: 0 },
    });
  });
  afterAll(() => server.close());

  const call = () => client.api.get('api/v1/me').json();

  it('sends one token request for a burst on a cold cache', async () => {
    expectAllAnswered(await burst(call));
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it('renews exactly once when the token expires in the middle of the burst', async () => {
    mock.resetStats();
    arrivals = 0;
    onArrival = (count) => {
      if (count === EVENT_AT) clock += 3_601_000;
    };
    expectAllAnswered(await burst(call));
    expect(mock.stats.tokenRequests).toBe(1);
    expect(mock.stats.apiUnauthorized).toBeGreaterThan(0);
    expectNoStaleTokenAfterRenewal(log);
  });

  it('renews exactly once when the server revokes the token in the middle of the burst', async () => {
    mock.resetStats();
    arrivals = 0;
    onArrival = (count) => {
      if (count === EVENT_AT) mock.revokeAllTokens();
    };
    expectAllAnswered(await burst(call));
    expect(mock.stats.tokenRequests).toBe(1);
    expect(mock.stats.apiUnauthorized).toBeGreaterThan(0);
    expectNoStaleTokenAfterRenewal(log);
  });
});

describe('createSmithCartClient under 1,000 concurrent requests', () => {
  const mock = createMockSmithCart();
  let server: ServedHandler;
  beforeAll(async () => {
    server = await serveFetchHandler(mock);
  });
  afterAll(() => server.close());

  const clientWith = (expiresAt: number) => {
    const issued = mock.issueToken({ username: 'ada', scope: 'public private' });
    return createSmithCartClient({
      baseUrl: server.url,
      token: new AccessToken({ value: issued.access_token, expiresAt, scope: issued.scope.split(' ') }),
      timeout: LOAD_TIMEOUT_MS,
    });
  };

  it('answers every request while the token is valid', async () => {
    const client = clientWith(Date.now() + 3_600_000);
    mock.resetStats();
    expectAllAnswered(await burst(() => client.get('users/me.json')));
    expect(mock.stats.apiRequests).toBe(CONCURRENCY);
  });

  it('fails every call of an expired token with TokenExpiredError without sending any', async () => {
    const client = clientWith(Date.now() - 1);
    mock.resetStats();
    const results = await burst(() => client.get('users/me.json'));
    expect(
      results.every((result) => result.status === 'rejected' && isGrantKitError(result.reason, 'token_expired')),
    ).toBe(true);
    expect(mock.stats.apiRequests).toBe(0);
  });

  it('fails every call with HttpError 401, once each, when the server revokes the token (the implicit grant cannot renew)', async () => {
    const client = clientWith(Date.now() + 3_600_000);
    mock.expireAllTokens();
    mock.resetStats();
    const results = await burst(() => client.get('users/me.json'));
    expect(
      results.every(
        (result) =>
          result.status === 'rejected' && isGrantKitError(result.reason, 'http_error') && result.reason.status === 401,
      ),
    ).toBe(true);
    expect(mock.stats.apiRequests).toBe(CONCURRENCY);
  });
});
