import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBearerClient, isGrantKitError } from '@grantkit/core';
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
});
