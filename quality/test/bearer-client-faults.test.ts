import { isGrantKitError } from '@grantkit/core';
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
          .get('data')
          .json(),
      );
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(servers.main.requests).toHaveLength(3);
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
    it('rejects with NetworkError', async () => {
      servers.main.respond(faults.cutBody({ items: 'x'.repeat(64) }));
      const { error } = await failureOf();
      expect(isGrantKitError(error) && error.code).toBe('network_error');
      expect(servers.main.requests).toHaveLength(1);
    });
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
});
