import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { isGrantKitError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';

const served: ServedHandler[] = [];
const raw: Server[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((server) => server.close()));
  await Promise.all(
    raw.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = await serveFetchHandler(handler);
  served.push(server);
  return server;
}

/** A node:http server that writes `chunk` forever with `status` (until the client goes away), counting bytes. */
async function serveEndless(status: number, contentType: string) {
  const sent = { bytes: 0 };
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    const pump = () => {
      let more = true;
      while (!res.destroyed && more) {
        more = res.write(chunk);
        sent.bytes += chunk.length;
      }
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  raw.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent };
}

function everyView(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: Number.POSITIVE_INFINITY })].join('\n');
}

describe('the transport behind createBearerClient', () => {
  describe('after a 401 renewal, when the API echoes the Authorization header on a 500', () => {
    it('scrubs the renewed token from HttpError.body, not only the first one', async () => {
      let token = 'first-token-aaaa1111';
      const api = await serve((request) => {
        const authorization = request.headers.get('authorization');
        if (authorization === 'Bearer first-token-aaaa1111') return new Response('{}', { status: 401 });
        return Response.json({ error: 'server_error', echo: `you sent ${authorization}` }, { status: 500 });
      });
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => token,
        refreshToken: async () => {
          token = 'renewed-token-bbbb2222';
        },
        retry: 0,
      });
      const error = await client
        .get('me')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(500);
      expect(everyView(error)).not.toContain('renewed-token-bbbb2222');
      expect(everyView(error)).not.toContain('first-token-aaaa1111');
    });
  });

  describe('when given a URL or a Request outside the API root’s origin', () => {
    it.each([
      ['a URL on another port', (other: string) => new URL(`${other}/collect`)],
      ['a Request on another port', (other: string) => new Request(`${other}/collect`)],
    ])('rejects %s with ConfigurationError and sends nothing there', async (_what, input) => {
      const seen: string[] = [];
      const api = await serve(() => Response.json({ ok: true }));
      const collector = await serve((request) => {
        seen.push(request.headers.get('authorization') ?? '');
        return Response.json({ collected: true });
      });
      let asked = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => {
          asked += 1;
          return 'token-cccc3333';
        },
      });
      const error = await client.get(input(collector.url)).catch((e: unknown) => e);
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(seen).toEqual([]);
      expect(asked).toBe(0);
    });

    it('rejects a cleartext URL to another host with ConfigurationError before anything is sent', async () => {
      const api = await serve(() => Response.json({ ok: true }));
      let sent = 0;
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => 'token-dddd4444',
        fetch: (input, init) => {
          sent += 1;
          return fetch(input, init);
        },
      });
      const error = await client.get(new URL('http://api.example.com/v1/me')).catch((e: unknown) => e);
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(sent).toBe(0);
    });

    it('still sends a URL on the API root’s origin', async () => {
      const api = await serve((request) => Response.json({ path: new URL(request.url).pathname }));
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'token-eeee5555' });
      await expect(client.get(new URL(`${api.url}/orders`)).json()).resolves.toEqual({ path: '/orders' });
    });
  });

  describe('when a body never ends', () => {
    it('reads an error body only up to 1 MiB and rejects with HttpError', async () => {
      const api = await serveEndless(500, 'text/plain');
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => 'token-ffff6666', retry: 0 })
        .get('x')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(500);
      expect(api.sent.bytes).toBeLessThan(16 * 1024 * 1024);
    });

    it('stops an API body at maxBodyBytes with InvalidResponseError', async () => {
      const api = await serveEndless(200, 'application/json');
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => 'token-gggg7777',
        maxBodyBytes: 2 * 1024 * 1024,
      })
        .get('x')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect((error as Error).message).toContain('larger than 2097152 bytes');
    });
  });

  describe('when the API refuses every token, a renewed one included', () => {
    it('renews once, then lets the 401s surface as HttpError without asking for a token per call', async () => {
      const api = await serve(() => Response.json({ error: 'invalid_token' }, { status: 401 }));
      let renewals = 0;
      let token = 'token-0';
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => token,
        refreshToken: async () => {
          renewals += 1;
          token = `token-${renewals}`;
        },
      });
      for (let call = 0; call < 50; call += 1) {
        const error = await client.get('me').catch((e: unknown) => e);
        expect(isGrantKitError(error, 'http_error') && error.status).toBe(401);
      }
      expect(renewals).toBe(1);
    });
  });

  describe('when getToken() returns a string with a line break', () => {
    it('rejects with ConfigurationError whose message shows no part of the string', async () => {
      const api = await serve(() => Response.json({ ok: true }));
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => 'secret-part\r\nX-Injected: 1' })
        .get('me')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(everyView(error)).not.toContain('secret-part');
    });
  });

  describe('when the API redirects with a 307 to another origin', () => {
    it('does not follow: the body goes nowhere else and the 307 surfaces as HttpError', async () => {
      const received: string[] = [];
      const elsewhere = await serve(async (request) => {
        received.push(await request.text());
        return Response.json({ accepted: true });
      });
      const api = await serve(
        () => new Response(null, { status: 307, headers: { location: `${elsewhere.url}/collect` } }),
      );
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => 'token-hhhh8888' })
        .post('orders', { json: { card: '4111 1111 1111 1111' } })
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(307);
      expect(received).toEqual([]);
    });

    it('follows a redirect within the origin, body included', async () => {
      const api = await serve(async (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/old') return new Response(null, { status: 307, headers: { location: '/new' } });
        return Response.json({ pathname, body: await request.json(), auth: request.headers.get('authorization') });
      });
      const answer = await createBearerClient({ prefixUrl: api.url, getToken: () => 'token-iiii9999' })
        .post('old', { json: { n: 1 } })
        .json();
      expect(answer).toEqual({ pathname: '/new', body: { n: 1 }, auth: 'Bearer token-iiii9999' });
    });
  });
});
