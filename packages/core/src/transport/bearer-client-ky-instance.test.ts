import { isGrantKitError, OAuthError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';

const served: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((server) => server.close()));
});

type Answer = () => Response | Promise<Response>;

/** An API on 127.0.0.1 that answers every request with `answer` and counts them. */
async function serveAnswers(answer: Answer): Promise<{ url: string; seen: { requests: number } }> {
  const seen = { requests: 0 };
  const server = await serveFetchHandler(() => {
    seen.requests += 1;
    return answer();
  });
  served.push(server);
  return { url: server.url, seen };
}

const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  () =>
    new Response(code === 204 ? null : `status ${code}`, {
      status: code,
      headers: { 'content-type': 'text/plain', ...headers },
    });

/** Headers only after `ms`. */
const answerAfter =
  (ms: number): Answer =>
  () =>
    new Promise((resolve) => setTimeout(() => resolve(status(200)()), ms).unref());

const TOKEN = 'tok-ky-instance-9f8e7d6c';

describe('createBearerClient({ ky })', () => {
  describe('when the instance sets retry: 0', () => {
    it('sends a request that gets a 503 once, as ky would', async () => {
      const api = await serveAnswers(status(503));
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => TOKEN, ky: ky.create({ retry: 0 }) })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(1);
    });

    it('lets the retry option override it', async () => {
      const api = await serveAnswers(status(503));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ retry: 0 }),
        retry: { limit: 1, delay: () => 0 },
      })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(2);
    });
  });

  describe('when the instance sets retry options', () => {
    it('keeps the limit and the status codes, and asks its shouldRetry', async () => {
      const api = await serveAnswers(status(500));
      let asked = 0;
      const base = ky.create({
        retry: {
          limit: 3,
          delay: () => 0,
          shouldRetry: ({ retryCount }) => {
            asked += 1;
            return retryCount < 2 ? undefined : false;
          },
        },
      });
      const error = await createBearerClient({ prefixUrl: api.url, getToken: () => TOKEN, ky: base })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(500);
      expect(asked).toBe(2);
      expect(api.seen.requests).toBe(2);
    });

    it('still does not wait for a Retry-After longer than the timeout', async () => {
      const api = await serveAnswers(status(429, { 'retry-after': '3600' }));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ retry: { limit: 2, delay: () => 0 } }),
      })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(api.seen.requests).toBe(1);
    });

    it('still does not repeat a grantkit error thrown by getToken()', async () => {
      const api = await serveAnswers(status(200));
      let calls = 0;
      const failure = new OAuthError({ error: 'invalid_client' });
      const client = createBearerClient({
        prefixUrl: api.url,
        getToken: () => {
          calls += 1;
          throw failure;
        },
        ky: ky.create({ retry: { limit: 3, delay: () => 0 } }),
      });
      await expect(client.get('data')).rejects.toBe(failure);
      expect(calls).toBe(1);
      expect(api.seen.requests).toBe(0);
    });

    it('keeps a maxRetryAfter set on the instance: waits at most that long, then retries', async () => {
      const api = await serveAnswers(status(429, { 'retry-after': '3600' }));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ retry: { limit: 1, maxRetryAfter: 10 } }),
      })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(api.seen.requests).toBe(2);
    });
  });

  describe('when the instance sets timeout: 200', () => {
    it('times out with TimeoutError reporting 200 ms', async () => {
      const api = await serveAnswers(answerAfter(5_000));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ timeout: 200 }),
      })
        .get('slow')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(200);
      expect(api.seen.requests).toBe(1);
    });

    it('lets the timeout option override it', async () => {
      const api = await serveAnswers(answerAfter(5_000));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ timeout: 60_000 }),
        timeout: 150,
      })
        .get('slow')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(150);
    });
  });

  describe('when the instance sets timeout: 2_000', () => {
    it('does not wait for a 503 whose Retry-After (5 s) is longer, and does not retry', async () => {
      const api = await serveAnswers(status(503, { 'retry-after': '5' }));
      const error = await createBearerClient({
        prefixUrl: api.url,
        getToken: () => TOKEN,
        ky: ky.create({ timeout: 2_000 }),
      })
        .get('data')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(503);
      expect(api.seen.requests).toBe(1);
    });
  });

  it('sends through the fetch of the instance when no fetch option is given', async () => {
    const api = await serveAnswers(status(204));
    const sent: string[] = [];
    const base = ky.create({
      fetch: (input, init) => {
        sent.push(input instanceof Request ? (input.headers.get('authorization') ?? '') : '');
        return fetch(input, init);
      },
    });
    const response = await createBearerClient({ prefixUrl: api.url, getToken: () => TOKEN, ky: base }).get('data');
    expect(response.status).toBe(204);
    expect(sent).toEqual([`Bearer ${TOKEN}`]);
  });
});
