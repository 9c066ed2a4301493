import { inspect } from 'node:util';
import { isGrantKitError, OAuthError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Answer, closeAnsweringServers, serveAnswers } from '../../test/support/answering-server.js';

const TOKEN = 'tok-core-fault-1a2b3c4d';

afterEach(closeAnsweringServers);

const status =
  (code: number, retryAfter: string): Answer =>
  (res) => {
    res.writeHead(code, { 'content-type': 'text/plain', 'retry-after': retryAfter });
    res.end(`status ${code}`);
  };

/** 200 headers and half of a JSON body, then nothing more (or, with `cut`, a dropped connection). */
const halfBody =
  (cut = false): Answer =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' });
    res.write('{"ok":');
    if (cut) setTimeout(() => res.socket?.destroy(), 20);
  };

const client = (url: string, options: { timeout?: number; retry?: number | object } = {}) =>
  createBearerClient({ prefixUrl: url, getToken: () => TOKEN, ...options });

describe('createBearerClient against a faulty server', () => {
  describe('when a 429 asks to wait longer than the timeout (Retry-After: 3600)', () => {
    it('rejects with HttpError 429 after one request instead of waiting', async () => {
      const api = await serveAnswers(status(429, '3600'));
      const error = await client(api.url, { timeout: 5_000 })
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(api.seen.requests).toBe(1);
    });
  });

  describe('when a 503 asks, as an HTTP date, to wait an hour and there is no timeout', () => {
    it('rejects with HttpError 503 after one request (the cap is then 10 s)', async () => {
      const api = await serveAnswers(status(503, new Date(Date.now() + 3_600_000).toUTCString()));
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => TOKEN, timeout: false })
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(1);
    });
  });

  describe('when a 503 asks to wait no longer than the timeout (Retry-After: 0)', () => {
    it('retries as ky does, then rejects with HttpError 503', async () => {
      const api = await serveAnswers(status(503, '0'));
      const error = await client(api.url, { timeout: 5_000 })
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(3);
    });
  });

  describe('when the caller sets maxRetryAfter', () => {
    it('keeps ky’s meaning: waits at most that long, then retries', async () => {
      const api = await serveAnswers(status(429, '3600'));
      const error = await client(api.url, { timeout: 5_000, retry: { limit: 1, maxRetryAfter: 10 } })
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(api.seen.requests).toBe(2);
    });
  });

  describe('when the body stalls after the headers', () => {
    it('rejects .json() with TimeoutError carrying the configured timeout', async () => {
      const api = await serveAnswers(halfBody());
      const error = await client(api.url, { timeout: 300 })
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(300);
      expect(api.seen.requests).toBe(1);
    });

    it('bounds a per-call timeout too, and a body read from the response itself', async () => {
      const api = await serveAnswers(halfBody());
      const response = await client(api.url, { timeout: 60_000 }).get('data', { timeout: 200 });
      const error = await response.text().catch((e: unknown) => e);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(200);
    });

    it('passes the caller’s own abort reason through unchanged', async () => {
      const api = await serveAnswers(halfBody());
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const pending = client(api.url, { timeout: 60_000 })
        .get('data', { signal: controller.signal })
        .json()
        .catch((e: unknown) => e);
      setTimeout(() => controller.abort(reason), 100);
      await expect(pending).resolves.toBe(reason);
    });
  });

  describe('when the caller’s signal is AbortSignal.timeout() and the headers never come', () => {
    it('rejects with the signal’s own TimeoutError reason', async () => {
      const api = await serveAnswers(() => undefined);
      const signal = AbortSignal.timeout(100);
      const error = await client(api.url, { timeout: 60_000 })
        .get('data', { signal })
        .json()
        .catch((e: unknown) => e);
      expect(error).toBe(signal.reason);
    });
  });

  describe('when a call sets a numeric retry', () => {
    it('still does not wait for a Retry-After longer than the timeout', async () => {
      const api = await serveAnswers(status(503, '30'));
      const error = await client(api.url, { timeout: 2_000 })
        .get('data', { retry: 2 })
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(1);
    });

    it('uses it as the limit: two retries of a 503 that asks for no wait', async () => {
      const api = await serveAnswers(status(503, '0'));
      const error = await client(api.url, { timeout: 2_000, retry: 0 })
        .get('data', { retry: 2 })
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(3);
    });

    it('does not call getToken() again after it failed with a grantkit error', async () => {
      const api = await serveAnswers(status(200, '0'));
      let calls = 0;
      const refused = createBearerClient({
        prefixUrl: api.url,
        getToken: () => {
          calls += 1;
          throw new OAuthError({ error: 'invalid_grant' });
        },
      });
      const error = await refused
        .get('data', { retry: 2 })
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'oauth_error')).toBe(true);
      expect(calls).toBe(1);
      expect(api.seen.requests).toBe(0);
    });
  });

  describe('when an instance made with extend() sets a numeric retry', () => {
    it.each([
      ['an object', { retry: 2 }],
      ['a function of the parent options', () => ({ retry: 2 })],
    ])('given %s, still does not wait for a Retry-After longer than the timeout', async (_form, options) => {
      const api = await serveAnswers(status(503, '30'));
      const error = await client(api.url, { timeout: 2_000 })
        .extend(options)
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(1);
    });
  });

  describe('when the caller’s signal was aborted before the call', () => {
    it('rejects with the signal’s own reason and sends nothing', async () => {
      const api = await serveAnswers(halfBody());
      const reason = new Error('caller gave up before sending');
      const error = await client(api.url, { retry: 0 })
        .get('data', { signal: AbortSignal.abort(reason) })
        .json()
        .catch((e: unknown) => e);
      expect(error).toBe(reason);
      expect(api.seen.requests).toBe(0);
    });
  });

  describe('when the connection drops in the middle of the body', () => {
    it.each(['json', 'text'] as const)('rejects .%s() with NetworkError', async (method) => {
      const api = await serveAnswers(halfBody(true));
      const error = await client(api.url, { retry: 0 })
        .get('data')
        [method]()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'network_error')).toBe(true);
      expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
    });
  });

  describe('when a 200 carries HTML instead of JSON', () => {
    it('rejects .json() with InvalidResponseError naming the status, and never echoes the body', async () => {
      const api = await serveAnswers((res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body>Bad gateway for Bearer ${TOKEN}</body></html>`);
      });
      const error = await client(api.url)
        .get('data')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(error).toMatchObject({ status: 200, issues: [{ path: '', message: 'must be JSON' }] });
      expect((error as Error).message).toContain('is not JSON');
      expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain('html');
    });
  });
});
