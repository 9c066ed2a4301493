import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { AccessToken, isGrantKitError, OAuthError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';

let server: ServedHandler | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An API that accepts only the token in `valid.current` and counts what it saw. */
async function serveApi() {
  const valid = { current: 'token-1' };
  const seen: string[] = [];
  server = await serveFetchHandler(async (request) => {
    const auth = request.headers.get('authorization') ?? '';
    seen.push(auth);
    if (auth !== `Bearer ${valid.current}`) {
      return new Response('{"error":"invalid_token"}', {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    const url = new URL(request.url);
    if (url.pathname === '/slow') await new Promise((resolve) => setTimeout(resolve, 500));
    return Response.json({ path: url.pathname, echo: request.method === 'POST' ? await request.json() : null });
  });
  return { url: server.url, valid, seen };
}

describe('createBearerClient', () => {
  it('sends the token from getToken() as a Bearer header on every request', async () => {
    const api = await serveApi();
    const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-1' });
    await expect(client.get('a').json()).resolves.toEqual({ path: '/a', echo: null });
    await expect(client.post('b', { json: { n: 1 } }).json()).resolves.toEqual({ path: '/b', echo: { n: 1 } });
    expect(api.seen).toEqual(['Bearer token-1', 'Bearer token-1']);
  });

  // ky 2 has a `query` method (HTTP QUERY, a safe request with a body); the returned instance's type promises it.
  it('sends a QUERY with its body and the token through query(), on the instance and on one made with extend()', async () => {
    server = await serveFetchHandler(async (request) =>
      Response.json({
        method: request.method,
        auth: request.headers.get('authorization'),
        body: await request.json(),
      }),
    );
    const client = createBearerClient({ prefixUrl: server.url, getToken: () => 'token-1' });
    const expected = { method: 'QUERY', auth: 'Bearer token-1', body: { q: 'orders' } };
    await expect(client.query('search', { json: { q: 'orders' } }).json()).resolves.toEqual(expected);
    await expect(
      client
        .extend({})
        .query('search', { json: { q: 'orders' } })
        .json(),
    ).resolves.toEqual(expected);
  });

  describe('when 50 concurrent requests all get a 401 once', () => {
    it('refreshes exactly once and every request succeeds on its retry', async () => {
      const api = await serveApi();
      let token = 'stale';
      let refreshes = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => token,
        refreshToken: async () => {
          refreshes += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          token = 'token-1';
        },
        // 100 exchanges on one loopback server took longer than the 10 s default in a clean-clone CI run at load 20.
        timeout: 60_000,
      });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.post('items', { json: { i } }).json<{ echo: { i: number } }>()),
      );
      expect(refreshes).toBe(1);
      expect(results.map((r) => r.echo.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });
  });

  describe('when the retry after a refresh gets a 401 again', () => {
    it('surfaces HttpError 401 without looping', async () => {
      const api = await serveApi();
      let refreshes = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => 'never-valid',
        refreshToken: async () => {
          refreshes += 1;
        },
      });
      const error = await client
        .get('x')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error')).toBe(true);
      expect(error).toMatchObject({ status: 401, method: 'GET', body: { error: 'invalid_token' } });
      expect(refreshes).toBe(1);
      expect(api.seen).toHaveLength(2);
    });
  });

  it('rejects with TimeoutError when the server answers too slowly', async () => {
    const api = await serveApi();
    const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-1', timeout: 100, retry: 0 });
    const error = await client.get('slow').catch((e: unknown) => e);
    expect(isGrantKitError(error, 'timeout')).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 100 });
  });

  it('rejects with NetworkError when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = createBearerClient({ prefixUrl: `http://127.0.0.1:${port}`, getToken: () => 'token-1', retry: 0 });
    const error = await client
      .get('x')
      .json()
      .catch((e: unknown) => e);
    expect(isGrantKitError(error, 'network_error')).toBe(true);
    expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
  });

  describe('when a single request gets a 401', () => {
    it('renews once, retries with the new token and returns its answer', async () => {
      const api = await serveApi();
      let token = new AccessToken({ value: 'stale' });
      let refreshes = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => token,
        refreshToken: async () => {
          refreshes += 1;
          token = new AccessToken({ value: 'token-1' });
        },
      });
      await expect(client.get('me').json()).resolves.toEqual({ path: '/me', echo: null });
      expect(refreshes).toBe(1);
      expect(api.seen).toEqual(['Bearer stale', 'Bearer token-1']);
    });

    it('resends a POST body intact on the retry, through the fetch given as an option', async () => {
      const received: { authorization: string | null; body: string }[] = [];
      server = await serveFetchHandler(async (request) => {
        received.push({ authorization: request.headers.get('authorization'), body: await request.text() });
        return request.headers.get('authorization') === 'Bearer token-1'
          ? new Response(null, { status: 201 })
          : new Response('{"error":"invalid_token"}', { status: 401 });
      });
      let token = 'stale';
      let fetches = 0;
      const statuses: number[] = [];
      const client = createBearerClient({
        prefixUrl: server.url,
        getToken: () => token,
        refreshToken: async () => {
          token = 'token-1';
        },
        fetch: (input, init) => {
          fetches += 1;
          return fetch(input, init);
        },
        hooks: { afterResponse: [({ response }) => void statuses.push(response.status)] },
      });
      const contact = { name: 'Ada Lovelace', notes: 'é'.repeat(70_000) };
      const response = await client.post('contacts', { json: contact });
      expect(response.status).toBe(201);
      expect(received.map((r) => r.authorization)).toEqual(['Bearer stale', 'Bearer token-1']);
      expect(received.map((r) => JSON.parse(r.body))).toEqual([contact, contact]);
      expect(fetches).toBe(2);
      expect(statuses).toEqual([201]);
    });

    it('surfaces HttpError 401 without retrying when no refreshToken was given', async () => {
      const api = await serveApi();
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'stale' });
      const error = await client.get('me').catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(401);
      expect(api.seen).toHaveLength(1);
    });

    it('rejects with the error of the renewal when renewing fails, and does not try again', async () => {
      const api = await serveApi();
      let refreshes = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => 'stale',
        refreshToken: async () => {
          refreshes += 1;
          throw new OAuthError({ error: 'invalid_grant', status: 400 });
        },
      });
      const error = await client.get('me').catch((e: unknown) => e);
      expect(isGrantKitError(error, 'oauth_error') && error.error).toBe('invalid_grant');
      expect(refreshes).toBe(1);
      expect(api.seen).toHaveLength(1);
    });
  });

  describe('when the server answers another error status', () => {
    async function serveStatus(status: number, body: string, contentType: string) {
      let calls = 0;
      server = await serveFetchHandler(() => {
        calls += 1;
        return new Response(body, { status, headers: { 'content-type': contentType } });
      });
      return { url: server.url, calls: () => calls };
    }

    it.each([400, 403, 404, 500, 503])(
      'rejects with HttpError carrying status %i, and does not renew',
      async (status) => {
        const api = await serveStatus(status, '{"error":"nope","detail":{"line":7}}', 'application/json');
        let refreshes = 0;
        const client = createBearerClient({
          prefixUrl: api.url,
          getToken: () => 'token-1',
          refreshToken: async () => {
            refreshes += 1;
          },
          retry: 0,
        });
        const error = await client.delete('orders/7').catch((e: unknown) => e);
        if (!isGrantKitError(error, 'http_error')) throw error;
        expect(error).toMatchObject({
          status,
          method: 'DELETE',
          url: `${api.url}/orders/7`,
          body: { error: 'nope', detail: { line: 7 } },
        });
        expect(error.message).toMatch(new RegExp(`^DELETE ${api.url}/orders/7 answered ${status}\\. `));
        expect(refreshes).toBe(0);
        expect(api.calls()).toBe(1);
      },
    );

    it('keeps a body that is not JSON as text', async () => {
      const api = await serveStatus(502, '<h1>Bad gateway</h1>', 'text/html');
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-1', retry: 0 });
      const error = await client.get('x').catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 502, body: '<h1>Bad gateway</h1>' });
    });

    it('rejects .json() of a 200 that is not JSON with InvalidResponseError naming the request, secrets redacted', async () => {
      const api = await serveStatus(200, '<h1>Welcome</h1>', 'text/html');
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-1' });
      const error = await client
        .get('orders', { searchParams: { api_key: 'key-hhhh8888', page: '2' } })
        .json()
        .catch((e: unknown) => e);
      if (!isGrantKitError(error, 'invalid_response')) throw error;
      expect(error.message).toMatch(
        new RegExp(`^The answer to GET ${api.url}/orders\\?api_key=%5BREDACTED%5D&page=2 is not JSON`),
      );
      expect(JSON.stringify(error)).not.toContain('key-hhhh8888');
    });

    it('keeps mapping errors on instances made with extend()', async () => {
      const api = await serveStatus(404, '{}', 'application/json');
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-1' }).extend({
        headers: { accept: 'application/json' },
      });
      const error = await client.get('missing').catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error')).toBe(true);
    });
  });

  describe('the Authorization value and other secrets', () => {
    const SECRET = 'tok-SeCrEt-1234abcd5678efgh';

    function expectNoSecret(error: unknown) {
      let current: unknown = error;
      const views: string[] = [];
      for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
        views.push(
          String(current),
          JSON.stringify(current) ?? '',
          inspect(current, { depth: Number.POSITIVE_INFINITY }),
        );
        if (current instanceof Error || (typeof current === 'object' && current !== null && 'stack' in current)) {
          views.push(String((current as Error).stack));
        }
        current = (current as { cause?: unknown } | null)?.cause;
      }
      for (const view of views) expect(view).not.toContain(SECRET);
    }

    it('never appear in an HttpError, even when the server echoes them', async () => {
      server = await serveFetchHandler(
        (request) =>
          new Response(
            JSON.stringify({
              error: 'invalid_token',
              received: request.headers.get('authorization'),
              message: `token ${SECRET} is not valid`,
              access_token: SECRET,
            }),
            { status: 401, headers: { 'content-type': 'application/json' } },
          ),
      );
      const client = createBearerClient({ prefixUrl: server.url, getToken: () => SECRET });
      const error = await client.get(`me?access_token=${SECRET}`).catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error')).toBe(true);
      expect(error).toMatchObject({ body: { error: 'invalid_token', access_token: '[REDACTED]' } });
      expectNoSecret(error);
    });

    it('never appear in a TimeoutError', async () => {
      server = await serveFetchHandler(
        () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('late')), 400)),
      );
      const client = createBearerClient({ prefixUrl: server.url, getToken: () => SECRET, timeout: 50, retry: 0 });
      const error = await client.get(`slow?token=${SECRET}`).catch((e: unknown) => e);
      expect(isGrantKitError(error, 'timeout')).toBe(true);
      expectNoSecret(error);
    });

    it('never appear in a NetworkError or its cause chain', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const client = createBearerClient({ prefixUrl: `http://127.0.0.1:${port}`, getToken: () => SECRET, retry: 0 });
      const error = await client.get(`x?access_token=${SECRET}`).catch((e: unknown) => e);
      expect(isGrantKitError(error, 'network_error')).toBe(true);
      expectNoSecret(error);
    });
  });

  it('retries an idempotent request after a NetworkError as ky would, asking the shouldRetry option too', async () => {
    let attempts = 0;
    let asked = 0;
    const flaky: typeof fetch = async (input, init) => {
      attempts += 1;
      if (attempts === 1) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const api = await serveApi();
    const client = createBearerClient({
      prefixUrl: api.url,
      getToken: () => 'token-1',
      fetch: flaky,
      retry: {
        limit: 2,
        delay: () => 0,
        shouldRetry: () => {
          asked += 1;
          return undefined;
        },
      },
    });
    await expect(client.get('a').json()).resolves.toEqual({ path: '/a', echo: null });
    expect(attempts).toBe(2);
    expect(asked).toBe(1);
  });

  it('passes an error thrown by getToken() through unchanged, before any request', async () => {
    const api = await serveApi();
    const failure = new OAuthError({ error: 'invalid_client' });
    let calls = 0;
    const client = createBearerClient({
      prefixUrl: api.url,
      getToken: () => {
        calls += 1;
        throw failure;
      },
    });
    await expect(client.get('x')).rejects.toBe(failure);
    expect(calls).toBe(1);
    expect(api.seen).toHaveLength(0);
  });

  it('refuses a plain http prefixUrl that is not loopback with ConfigurationError', () => {
    expect(() => createBearerClient({ prefixUrl: 'http://api.example.com', getToken: () => 'token-1' })).toThrow(
      /`prefixUrl` must use https:/,
    );
  });
});
