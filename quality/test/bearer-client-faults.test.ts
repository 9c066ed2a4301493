import { inspect } from 'node:util';
import { isGrantKitError, OAuthError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { describe, expect, it } from '@jest/globals';
import { faults, STALL_TIMEOUT_MS, TIMEOUT_MS, useFaultServers } from './support/fault-server.js';
import { rejectionOf } from './support/secrets.js';
import { failOnUnhandledRejections } from './support/unhandled.js';

const TOKEN = 'tok-bearer-9f8e7d6c5b4a';

failOnUnhandledRejections();

const servers = useFaultServers();

const client = (timeout = TIMEOUT_MS) =>
  createBearerClient({
    prefixUrl: servers.main.url,
    getToken: () => TOKEN,
    timeout,
    retry: { limit: 2, backoffLimit: 20 },
  });

/** The requests the main server recorded for `path`. */
const requestsTo = (path: string) => servers.main.requests.filter((request) => request.path === path);

/** The error of GET /data read as JSON, and how long it took. */
async function failureOf(timeout = TIMEOUT_MS): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await rejectionOf(client(timeout).get('data').json());
  return { error, ms: performance.now() - started };
}

describe('createBearerClient against a faulty server', () => {
  describe('when the server answers 500 without Retry-After', () => {
    it('retries twice, then rejects with HttpError 500', async () => {
      servers.main.respond(faults.status(500));
      const { error } = await failureOf();
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(500);
      expect(servers.main.requests).toHaveLength(3);
    });
  });

  describe.each([
    { status: 503, retryAfter: '3' },
    { status: 429, retryAfter: '3600' },
  ])(
    'when the server answers $status with a Retry-After ($retryAfter s) longer than the timeout',
    ({ status, retryAfter }) => {
      it(`rejects with HttpError ${status} after one request, without waiting`, async () => {
        servers.main.respond(faults.status(status, retryAfter));
        const { error, ms } = await failureOf(STALL_TIMEOUT_MS);
        expect(isGrantKitError(error, 'http_error') && error.status).toBe(status);
        expect(servers.main.requests).toHaveLength(1);
        expect(ms).toBeLessThan(2_000);
      });
    },
  );

  describe('when the caller sets maxRetryAfter and the server answers 503 with Retry-After: 1', () => {
    it('waits as told, retries at most twice, then rejects with HttpError 503', async () => {
      servers.main.respond(faults.status(503, '1'));
      const started = performance.now();
      const error = await rejectionOf(
        createBearerClient({
          prefixUrl: servers.main.url,
          getToken: () => TOKEN,
          timeout: TIMEOUT_MS,
          retry: { limit: 2, maxRetryAfter: 5_000 },
        })
          .get('retry-after-1')
          .json(),
      );
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      // Only this test's own requests: a late retry of an earlier test may still reach the port.
      expect(requestsTo('/retry-after-1')).toHaveLength(3);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    });
  });

  describe('when the server answers 429 with Retry-After: 0', () => {
    it('retries at most twice, then rejects with HttpError 429', async () => {
      servers.main.respond(faults.status(429, '0'));
      const { error } = await failureOf();
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(servers.main.requests).toHaveLength(3);
    });
  });

  describe('when the headers come later than the timeout', () => {
    it('rejects with TimeoutError carrying the configured timeout, without retrying', async () => {
      servers.main.respond(faults.slowHeaders(5_000));
      const { error } = await failureOf(STALL_TIMEOUT_MS);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(STALL_TIMEOUT_MS);
      expect(servers.main.requests).toHaveLength(1);
    });
  });

  describe('when the body stalls past the timeout after the headers', () => {
    it('rejects with TimeoutError carrying the configured timeout, without retrying', async () => {
      servers.main.respond(faults.slowBody(5_000));
      const { error, ms } = await failureOf(STALL_TIMEOUT_MS);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(STALL_TIMEOUT_MS);
      expect(servers.main.requests).toHaveLength(1);
      expect(ms).toBeLessThan(4_000);
    });
  });

  describe('when the connection drops in the middle of the body', () => {
    it.each(['json', 'text'] as const)(
      'rejects .%s() with NetworkError whose cause is the TypeError',
      async (method) => {
        servers.main.respond(faults.cutBody({ items: 'x'.repeat(64) }));
        const error = await rejectionOf(client().get('data')[method]());
        expect(isGrantKitError(error) && error.code).toBe('network_error');
        expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
        expect(servers.main.requests).toHaveLength(1);
      },
    );
  });

  describe.each([
    { name: 'HTML with 200', fault: () => faults.html(200) },
    { name: 'XML with its own content type', fault: () => faults.wrongContentType() },
  ])('when the server answers $name where JSON was expected', ({ fault }) => {
    it('rejects with InvalidResponseError carrying the status', async () => {
      servers.main.respond(fault());
      const { error } = await failureOf();
      expect(isGrantKitError(error, 'invalid_response') && error.status).toBe(200);
      expect(servers.main.requests).toHaveLength(1);
    });
  });

  describe('when the server answers an HTML error page with 502', () => {
    it('retries twice, then rejects with HttpError 502', async () => {
      servers.main.respond(faults.html(502));
      const { error } = await failureOf();
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(502);
      expect(servers.main.requests).toHaveLength(3);
    });
  });

  describe('when the server answers 200 with an empty body', () => {
    it('rejects .json() with InvalidResponseError, as ky 2 throws for an empty body', async () => {
      servers.main.respond(faults.empty200());
      const error = await client()
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
    });
  });

  describe('when the server redirects to another host', () => {
    it('does not follow it: rejects with HttpError 302 and sends nothing there', async () => {
      servers.main.respond(faults.redirect(`${servers.other.url}/landing`));
      const error = await client()
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(302);
      expect(servers.other.requests).toHaveLength(0);
    });
  });

  describe('when the server resets the connection', () => {
    it('retries twice, then rejects with NetworkError', async () => {
      servers.main.respond(faults.reset());
      const { error } = await failureOf();
      expect(isGrantKitError(error) && error.code).toBe('network_error');
      expect(servers.main.requests).toHaveLength(3);
    });
  });

  describe('when a 503 asks, as an HTTP date, to wait an hour and there is no timeout', () => {
    it('rejects with HttpError 503 after one request (the bound is then 10 s)', async () => {
      servers.main.respond(faults.status(503, new Date(Date.now() + 3_600_000).toUTCString()));
      const error = await rejectionOf(
        createBearerClient({ prefixUrl: servers.main.url, getToken: () => TOKEN, timeout: false })
          .get('data')
          .json(),
      );
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(servers.main.requests).toHaveLength(1);
    });
  });

  describe('when the caller sets maxRetryAfter shorter than a Retry-After of an hour', () => {
    it('keeps ky’s meaning: waits at most that long, then retries', async () => {
      servers.main.respond(faults.status(429, '3600'));
      const error = await rejectionOf(
        createBearerClient({
          prefixUrl: servers.main.url,
          getToken: () => TOKEN,
          timeout: TIMEOUT_MS,
          retry: { limit: 1, maxRetryAfter: 10 },
        })
          .get('data')
          .json(),
      );
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(servers.main.requests).toHaveLength(2);
    });
  });

  describe('when the body stalls after the headers and the timeout is set per call', () => {
    it('bounds a body read from the response itself too (the body is read before the response is returned)', async () => {
      servers.main.respond(faults.slowBody(5_000));
      const error = await rejectionOf(
        client(60_000)
          .get('data', { timeout: STALL_TIMEOUT_MS })
          .then((response) => response.text()),
      );
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(STALL_TIMEOUT_MS);
    });

    it('passes the caller’s own abort reason through unchanged', async () => {
      servers.main.respond(faults.slowBody(5_000));
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const pending = rejectionOf(client(60_000).get('data', { signal: controller.signal }).json());
      setTimeout(() => controller.abort(reason), 100);
      await expect(pending).resolves.toBe(reason);
    });
  });

  describe('when the caller’s signal is AbortSignal.timeout() and the headers never come', () => {
    it('rejects with the signal’s own TimeoutError reason', async () => {
      servers.main.respond(faults.slowHeaders(5_000));
      const signal = AbortSignal.timeout(100);
      const error = await rejectionOf(client(60_000).get('data', { signal }).json());
      expect(error).toBe(signal.reason);
    });
  });

  describe('when the caller’s signal was aborted before the call', () => {
    it('rejects with the signal’s own reason and sends nothing', async () => {
      const reason = new Error('caller gave up before sending');
      const error = await rejectionOf(
        client()
          .get('data', { signal: AbortSignal.abort(reason) })
          .json(),
      );
      expect(error).toBe(reason);
      expect(servers.main.requests).toHaveLength(0);
    });
  });

  describe('when a call sets a numeric retry', () => {
    it('still does not wait for a Retry-After longer than the timeout', async () => {
      servers.main.respond(faults.status(503, '30'));
      const error = await rejectionOf(client(2_000).get('data', { retry: 2 }).json());
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(servers.main.requests).toHaveLength(1);
    });

    it('uses it as the limit: two retries of a 503 that asks for no wait', async () => {
      servers.main.respond(faults.status(503, '0'));
      const api = createBearerClient({ prefixUrl: servers.main.url, getToken: () => TOKEN, retry: 0 });
      const error = await rejectionOf(api.get('data', { retry: 2 }).json());
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(servers.main.requests).toHaveLength(3);
    });

    it('does not call getToken() again after it failed with a grantkit error', async () => {
      let calls = 0;
      const refused = createBearerClient({
        prefixUrl: servers.main.url,
        getToken: () => {
          calls += 1;
          throw new OAuthError({ error: 'invalid_grant' });
        },
      });
      const error = await rejectionOf(refused.get('data', { retry: 2 }).json());
      expect(isGrantKitError(error, 'oauth_error')).toBe(true);
      expect(calls).toBe(1);
      expect(servers.main.requests).toHaveLength(0);
    });
  });

  describe('when an instance made with extend() sets a numeric retry', () => {
    it.each([
      ['an object', { retry: 2 }],
      ['a function of the parent options', () => ({ retry: 2 })],
    ])('given %s, still does not wait for a Retry-After longer than the timeout', async (_form, options) => {
      servers.main.respond(faults.status(503, '30'));
      const error = await rejectionOf(client(2_000).extend(options).get('data').json());
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(servers.main.requests).toHaveLength(1);
    });
  });

  describe('when a 200 carries HTML that names the token instead of JSON', () => {
    it('rejects .json() with InvalidResponseError naming the status, and never echoes the body', async () => {
      servers.main.respond((_request, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body>Bad gateway for Bearer ${TOKEN}</body></html>`);
      });
      const error = await rejectionOf(client().get('data').json());
      expect(error).toMatchObject({ status: 200, issues: [{ path: '', message: 'must be JSON' }] });
      expect((error as Error).message).toContain('is not JSON');
      expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain('html');
    });
  });
});
