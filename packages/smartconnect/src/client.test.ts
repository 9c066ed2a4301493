import { AccessToken, isGrantKitError, MemoryTokenStore } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { expectNoSecrets, rejectionOf } from '../test/support/expect-no-secrets.js';
import { createSmartConnectClient, type SmartConnectClientOptions } from './index.js';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  type MockSmartConnectOptions,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const secrets = [credentials.password, credentials.clientSecret];

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Setup {
  mock: MockSmartConnect;
  baseUrl: string;
  clock: { now: number };
  /** Runs once, when the first sample API request reaches the server. */
  onFirstApiRequest?: () => void;
}

async function setup(options: MockSmartConnectOptions = {}): Promise<Setup> {
  const clock = { now: Date.UTC(2026, 10, 23, 12) };
  const mock = createMockSmartConnect({ now: () => clock.now, ...options });
  const state: Setup = { mock, baseUrl: '', clock };
  const server = await serveFetchHandler(async (request) => {
    if (new URL(request.url).pathname.startsWith('/api/') && state.onFirstApiRequest) {
      const hook = state.onFirstApiRequest;
      delete state.onFirstApiRequest;
      hook();
    }
    return mock(request);
  });
  servers.push(server);
  state.baseUrl = server.url;
  return state;
}

function clientFor(env: Setup, options: Partial<SmartConnectClientOptions> = {}) {
  return createSmartConnectClient({
    baseUrl: env.baseUrl,
    credentials,
    now: () => env.clock.now,
    tokenRetry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  } as SmartConnectClientOptions);
}

// The 500-request cases are load tests, not timing tests: a shared 2-core machine may need many seconds for them.
const LOAD_TIMEOUT_MS = 60_000;

const many = <T>(count: number, fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
const settleMany = <T>(count: number, fn: (i: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: count }, (_, i) => fn(i)));

describe('createSmartConnectClient', () => {
  it('signs in lazily: nothing is sent until the first request', async () => {
    const env = await setup();
    const client = clientFor(env);
    expect(env.mock.stats.tokenRequests).toBe(0);
    await expect(client.api.get('api/v1/me').json()).resolves.toEqual({
      username: 'demo@example.com',
      displayName: 'Demo User',
    });
    expect(env.mock.stats.tokenRequests).toBe(1);
  });

  it('reuses the cached token for later requests and for getToken()', async () => {
    const env = await setup();
    const client = clientFor(env);
    await client.api.get('api/v1/contacts').json();
    await client.api.get('api/v1/contacts/1').json();
    const token = await client.getToken();
    expect(token).toBeInstanceOf(AccessToken);
    expect(env.mock.stats).toMatchObject({ tokenRequests: 1, apiRequests: 2, apiUnauthorized: 0 });
  });

  describe('when 500 requests start on a cold cache', () => {
    it(
      'sends exactly one token request and all 500 succeed',
      async () => {
        const env = await setup();
        const client = clientFor(env, { timeout: LOAD_TIMEOUT_MS });
        const results = await many(500, (i) => client.api.get(`api/v1/contacts/${(i % 3) + 1}`).json<{ id: number }>());
        expect(results.map((contact) => contact.id)).toEqual(Array.from({ length: 500 }, (_, i) => (i % 3) + 1));
        expect(env.mock.stats).toMatchObject({ tokenRequests: 1, apiRequests: 500, apiUnauthorized: 0 });
      },
      2 * LOAD_TIMEOUT_MS,
    );
  });

  describe('when the token expires while 500 requests are in flight', () => {
    it(
      'renews exactly once and all 500 succeed on their retry',
      async () => {
        const env = await setup({ tokenTtlSeconds: 3_600 });
        const client = clientFor(env, { timeout: LOAD_TIMEOUT_MS });
        await client.getToken();
        env.onFirstApiRequest = () => {
          env.clock.now += 3_600_000;
        };
        const results = await many(500, () => client.api.get('api/v1/me').json<{ username: string }>());
        expect(results.every((me) => me.username === 'demo@example.com')).toBe(true);
        expect(env.mock.stats.tokenRequests).toBe(2);
        expect(env.mock.stats.apiUnauthorized).toBeGreaterThan(0);
        expect(env.mock.stats.apiRequests).toBe(500 + env.mock.stats.apiUnauthorized);
      },
      2 * LOAD_TIMEOUT_MS,
    );
  });

  describe('when the token is revoked server-side', () => {
    it('renews exactly once, retries the request and succeeds', async () => {
      const env = await setup();
      const client = clientFor(env);
      const before = await client.getToken();
      env.mock.revokeAllTokens();
      await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: 'demo@example.com' });
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiRequests: 2, apiUnauthorized: 1 });
      expect((await client.getToken()).expose()).not.toBe(before.expose());
    });

    it('resends a request body intact after the renewal', async () => {
      const env = await setup();
      const client = clientFor(env);
      await client.getToken();
      env.mock.revokeAllTokens();
      const contact = { name: 'Katherine Johnson', email: 'katherine@example.com', company: 'NACA' };
      const created = await client.api.post('api/v1/contacts', { json: contact });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/api/v1/contacts/4');
      expect(await created.json()).toEqual({ id: 4, ...contact });
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiUnauthorized: 1 });
    });

    it("shows the caller's afterResponse hooks only the response after the renewal", async () => {
      const env = await setup();
      const statuses: number[] = [];
      const client = clientFor(env, {
        kyOptions: {
          hooks: { afterResponse: [({ response }) => void statuses.push(response.status)] },
        },
      });
      await client.getToken();
      env.mock.revokeAllTokens();
      await client.api.get('api/v1/me').json();
      expect(statuses).toEqual([200]);
    });

    it('gives up with HttpError 401 when the renewed token is refused too, without looping', async () => {
      const env = await setup();
      const client = clientFor(env, { kyOptions: { retry: 0 } });
      await client.getToken();
      env.mock.revokeAllTokens();
      env.onFirstApiRequest = () => {
        env.onFirstApiRequest = () => env.mock.revokeAllTokens();
      };
      const error = await rejectionOf(client.api.get('api/v1/me').json());
      expect(error).toMatchObject({ name: 'HttpError', status: 401 });
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiRequests: 2 });
      expectNoSecrets(error, [...secrets, (await client.getToken()).expose()]);
    });
  });

  describe('when the password was changed server-side', () => {
    it('reports OAuthError invalid_grant to every caller after one token request, and never asks again', async () => {
      const env = await setup();
      const client = clientFor(env);
      await client.getToken();
      env.mock.setPassword(SMARTCONNECT_DEMO_USER.username, 'changed elsewhere');
      env.mock.resetStats();

      const results = await settleMany(50, () => client.api.get('api/v1/me').json());
      expect(results.every((result) => result.status === 'rejected')).toBe(true);
      const errors = results.map((result) => (result as PromiseRejectedResult).reason);
      expect(new Set(errors).size).toBe(1);
      expect(errors[0]).toMatchObject({ name: 'OAuthError', error: 'invalid_grant', status: 400 });
      expect(env.mock.stats.tokenRequests).toBe(1);
      expectNoSecrets(errors[0], secrets);

      await expect(client.api.get('api/v1/me').json()).rejects.toBe(errors[0]);
      await expect(client.getToken()).rejects.toBe(errors[0]);
      expect(env.mock.stats.tokenRequests).toBe(1);
      expect(env.mock.stats.apiRequests).toBeLessThanOrEqual(50);
    });
  });

  describe('when the credentials are refused on a cold cache', () => {
    it.each([
      ['invalid_grant', { password: 'wrong-password' }],
      ['invalid_client', { clientSecret: 'wrong-secret' }],
    ])('reports %s once to all 500 waiting callers after one token request', async (code, wrong) => {
      const env = await setup();
      const client = clientFor(env, { credentials: { ...credentials, ...wrong } });
      const results = await settleMany(500, () => client.api.get('api/v1/me').json());
      const errors = new Set(results.map((result) => (result as PromiseRejectedResult).reason));
      expect(errors.size).toBe(1);
      const [error] = errors;
      expect(error).toMatchObject({ name: 'OAuthError', error: code });
      expect(env.mock.stats).toMatchObject({ tokenRequests: 1, apiRequests: 0 });
      expectNoSecrets(error, [...secrets, ...Object.values(wrong)]);
    });

    it('tries again with a fresh sign-in only after signOut()', async () => {
      const env = await setup();
      const client = clientFor(env);
      env.mock.setPassword(SMARTCONNECT_DEMO_USER.username, 'temporarily different');
      await expect(client.getToken()).rejects.toMatchObject({ error: 'invalid_grant' });
      env.mock.setPassword(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
      await expect(client.getToken()).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(env.mock.stats.tokenRequests).toBe(1);
      await client.signOut();
      await expect(client.getToken()).resolves.toBeInstanceOf(AccessToken);
      expect(env.mock.stats.tokenRequests).toBe(2);
    });
  });

  describe('when the token endpoint fails transiently', () => {
    it('retries 5xx answers with backoff and succeeds, sharing the attempts among callers', async () => {
      const env = await setup();
      env.mock.failNextTokenRequests(2, { status: 503, body: 'html' });
      const client = clientFor(env);
      const results = await many(20, () => client.api.get('api/v1/me').json());
      expect(results).toHaveLength(20);
      expect(env.mock.stats).toMatchObject({ tokenRequests: 3, tokensIssued: 1 });
    });

    it('surfaces HttpError after the retry limit and does not retry the API request', async () => {
      const env = await setup();
      env.mock.failNextTokenRequests(10, { status: 500, body: 'html' });
      const client = clientFor(env, { tokenRetry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      const results = await settleMany(10, () => client.api.get('api/v1/me').json());
      const errors = new Set(results.map((result) => (result as PromiseRejectedResult).reason));
      expect(errors.size).toBe(1);
      const [error] = errors;
      expect(error).toMatchObject({ name: 'HttpError', status: 500 });
      expect(env.mock.stats.tokenRequests).toBe(3);
      expectNoSecrets(error, secrets);
    });

    it('retries a refused connection and surfaces NetworkError after the limit', async () => {
      const server = await serveFetchHandler(async () => new Response('unused'));
      await server.close();
      let attempts = 0;
      const client = createSmartConnectClient({
        baseUrl: server.url,
        credentials,
        tokenRetry: { limit: 3, baseDelayMs: 1, maxDelayMs: 2 },
        fetch: (input, init) => {
          attempts += 1;
          return fetch(input, init);
        },
      });
      const error = await rejectionOf(client.getToken());
      expect(isGrantKitError(error, 'network_error')).toBe(true);
      expect(attempts).toBe(4);
      expectNoSecrets(error, secrets);
    });

    it('keeps using a still-valid token when its early renewal fails', async () => {
      const env = await setup({ tokenTtlSeconds: 3_600 });
      const client = clientFor(env, { tokenRetry: { limit: 0 } });
      const first = await client.getToken();
      env.clock.now += 3_600_000 - 30_000;
      env.mock.failNextTokenRequests(1, { status: 502 });
      await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: 'demo@example.com' });
      expect((await client.getToken()).expose()).toBe(first.expose());
      expect(env.mock.stats.tokenRequests).toBe(2);
    });

    it('throws TimeoutError when the token endpoint does not answer in time', async () => {
      const env = await setup();
      env.mock.setTokenDelay(300);
      const client = clientFor(env, { timeout: 50, tokenRetry: { limit: 0 } });
      const error = await rejectionOf(client.api.get('api/v1/me').json());
      expect(error).toMatchObject({ name: 'TimeoutError', timeoutMs: 50 });
    });
  });

  describe('renewal before expiry, with a fake clock', () => {
    it('renews from expires_in shortly before expiresAt, with no 401', async () => {
      const env = await setup({ issueJwt: false, includeExpiresIn: true, tokenTtlSeconds: 3_600 });
      const client = clientFor(env, { renewBeforeMs: 60_000 });
      const first = await client.getToken();
      expect(first.expiresAt).toBe(env.clock.now + 3_600_000);

      env.clock.now += 3_600_000 - 61_000;
      await client.api.get('api/v1/me').json();
      expect(env.mock.stats.tokenRequests).toBe(1);

      env.clock.now += 2_000;
      await client.api.get('api/v1/me').json();
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiUnauthorized: 0 });
      expect((await client.getToken()).expose()).not.toBe(first.expose());
    });

    it('renews from the JWT exp claim when there is no expires_in, with no 401', async () => {
      const env = await setup({ issueJwt: true, tokenTtlSeconds: 3_600 });
      const client = clientFor(env, { renewBeforeMs: 60_000 });
      const first = await client.getToken();
      expect(first.expiresAt).toBe(env.clock.now + 3_600_000);

      env.clock.now += 3_600_000 - 61_000;
      await client.api.get('api/v1/me').json();
      expect(env.mock.stats.tokenRequests).toBe(1);

      env.clock.now += 2_000;
      await client.api.get('api/v1/me').json();
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiUnauthorized: 0 });
    });

    it('renews a short-lived token half-way through its life', async () => {
      const env = await setup({ issueJwt: true, tokenTtlSeconds: 60 });
      const client = clientFor(env, { renewBeforeMs: 60_000 });
      await client.getToken();
      env.clock.now += 29_000;
      await client.getToken();
      expect(env.mock.stats.tokenRequests).toBe(1);
      env.clock.now += 1_000;
      await client.getToken();
      expect(env.mock.stats.tokenRequests).toBe(2);
    });

    it('renews an opaque token without expires_in only after a 401', async () => {
      const env = await setup({ issueJwt: false, tokenTtlSeconds: 3_600 });
      const client = clientFor(env);
      expect((await client.getToken()).expiresAt).toBeUndefined();
      env.clock.now += 3_600_000;
      await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: 'demo@example.com' });
      expect(env.mock.stats).toMatchObject({ tokenRequests: 2, apiUnauthorized: 1 });
    });
  });

  describe('token store', () => {
    it('keys tokens by host and all four credentials, so clients share a token only when all of them match', async () => {
      const env = await setup({
        users: [SMARTCONNECT_DEMO_USER, { username: 'second@example.com', password: 'second-password' }],
      });
      const tokenStore = new MemoryTokenStore();
      const first = clientFor(env, { tokenStore });
      const same = clientFor(env, { tokenStore });
      const other = clientFor(env, {
        tokenStore,
        credentials: { ...credentials, username: 'second@example.com', password: 'second-password' },
      });
      const token = await first.getToken();
      expect((await same.getToken()).expose()).toBe(token.expose());
      expect(env.mock.stats.tokenRequests).toBe(1);
      await expect(other.api.get('api/v1/me').json()).resolves.toMatchObject({ username: 'second@example.com' });
      expect(env.mock.stats.tokenRequests).toBe(2);
    });

    describe('when another client with the same username but a wrong credential shares the store', () => {
      it('refuses a wrong password with invalid_grant and never hands out the stored token', async () => {
        const env = await setup();
        const tokenStore = new MemoryTokenStore();
        const token = await clientFor(env, { tokenStore }).getToken();
        const intruder = clientFor(env, { tokenStore, credentials: { ...credentials, password: 'WRONG' } });

        const error = await rejectionOf(intruder.getToken());
        expect(isGrantKitError(error, 'oauth_error') && error.error).toBe('invalid_grant');
        const apiError = await rejectionOf(intruder.api.get('api/v1/me').json());
        expect(isGrantKitError(apiError, 'oauth_error') && apiError.error).toBe('invalid_grant');
        expect(env.mock.stats.tokenRequests).toBe(2);
        expect(JSON.stringify(error)).not.toContain(token.expose());
        // The rightful client still has its token.
        expect((await clientFor(env, { tokenStore }).getToken()).expose()).toBe(token.expose());
      });

      it('refuses a wrong client secret with invalid_client and never hands out the stored token', async () => {
        const env = await setup();
        const tokenStore = new MemoryTokenStore();
        await clientFor(env, { tokenStore }).getToken();
        const intruder = clientFor(env, { tokenStore, credentials: { ...credentials, clientSecret: 'WRONG' } });

        const error = await rejectionOf(intruder.getToken());
        expect(isGrantKitError(error, 'oauth_error') && error.error).toBe('invalid_client');
        expect(env.mock.stats.tokenRequests).toBe(2);
      });
    });

    it('uses a valid token found in the store and keeps no credential in the key', async () => {
      const env = await setup();
      const keys: string[] = [];
      const inner = new MemoryTokenStore();
      const tokenStore = {
        get: (key: string) => {
          keys.push(key);
          return inner.get(key);
        },
        set: (key: string, token: AccessToken) => inner.set(key, token),
        delete: (key: string) => inner.delete(key),
      };
      await clientFor(env, { tokenStore }).getToken();
      await clientFor(env, { tokenStore }).api.get('api/v1/me').json();
      expect(env.mock.stats.tokenRequests).toBe(1);
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key).toMatch(/^smartconnect:[\w-]{43}$/);
        for (const credential of [credentials.username, credentials.clientId, ...secrets]) {
          expect(key).not.toContain(credential);
          expect(key).not.toContain(encodeURIComponent(credential));
        }
      }
    });

    it('signOut() forgets the token here and in the store', async () => {
      const env = await setup();
      const tokenStore = new MemoryTokenStore();
      const client = clientFor(env, { tokenStore });
      const first = await client.getToken();
      await client.signOut();

      const second = await clientFor(env, { tokenStore }).getToken();
      expect(env.mock.stats.tokenRequests).toBe(2);
      expect(second.expose()).not.toBe(first.expose());
      expect((await client.getToken()).expose()).toBe(second.expose());
      expect(env.mock.stats.tokenRequests).toBe(2);
    });
  });

  describe('in a browser', () => {
    const globals = globalThis as { window?: unknown; document?: unknown };
    afterEach(() => {
      delete globals.window;
      delete globals.document;
    });

    it('refuses to start with ConfigurationError, before sending anything', async () => {
      const env = await setup();
      globals.window = {};
      globals.document = {};
      let error: unknown;
      try {
        clientFor(env);
      } catch (caught) {
        error = caught;
      }
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect((error as Error).message).toMatch(/dangerouslyAllowBrowser/);
      expectNoSecrets(error, secrets);
      expect(env.mock.stats.tokenRequests).toBe(0);
    });

    it('works when dangerouslyAllowBrowser is true', async () => {
      const env = await setup();
      globals.window = {};
      globals.document = {};
      const client = clientFor(env, { dangerouslyAllowBrowser: true });
      await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: 'demo@example.com' });
    });

    it('is not fooled by a window alone (web workers and some test setups have no document)', async () => {
      const env = await setup();
      globals.window = {};
      expect(() => clientFor(env)).not.toThrow();
    });
  });

  describe('when an option is wrong', () => {
    it.each([
      ['a missing password', { credentials: { ...credentials, password: '' } }, /credentials\.password/],
      ['no credentials', { credentials: undefined }, /credentials/],
      ['a negative renewBeforeMs', { renewBeforeMs: -1 }, /renewBeforeMs/],
      ['a renewBeforeMs of NaN', { renewBeforeMs: Number.NaN }, /renewBeforeMs/],
      ['an infinite renewBeforeMs', { renewBeforeMs: Number.POSITIVE_INFINITY }, /renewBeforeMs/],
      ['a negative tokenRetry.limit', { tokenRetry: { limit: -1 } }, /tokenRetry\.limit/],
      ['a zero timeout', { timeout: 0 }, /timeout/],
    ])('throws ConfigurationError for %s', async (_name, options, message) => {
      const env = await setup();
      let error: unknown;
      try {
        clientFor(env, options as Partial<SmartConnectClientOptions>);
      } catch (caught) {
        error = caught;
      }
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expectNoSecrets(error, secrets);
    });
  });
});

describe('createSmartConnectClient’s api and the transport rules', () => {
  it('asks for two tokens in all when the API refuses every token, and surfaces each 401 as HttpError', async () => {
    const mock = createMockSmartConnect();
    // The real token endpoint; an API that refuses every token.
    const server = await serveFetchHandler((request) =>
      new URL(request.url).pathname === '/token'
        ? mock(request)
        : Response.json({ error: 'invalid_token' }, { status: 401 }),
    );
    servers.push(server);
    const client = createSmartConnectClient({ baseUrl: server.url, credentials });
    for (let call = 0; call < 50; call += 1) {
      const error = await rejectionOf(client.api.get('api/v1/me'));
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(401);
    }
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it('sends nothing, token included, to a URL outside the API root’s origin', async () => {
    const env = await setup();
    const collector: string[] = [];
    const elsewhere = await serveFetchHandler((request) => {
      collector.push(request.headers.get('authorization') ?? '');
      return Response.json({});
    });
    servers.push(elsewhere);
    const client = clientFor(env);
    const error = await rejectionOf(client.api.get(new URL(`${elsewhere.url}/collect`)));
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect(collector).toEqual([]);
    expect(env.mock.stats.tokenRequests).toBe(0);
  });
});
