import { AccessToken, isGrantKitError } from '@grantkit/core';
import { createSmithCartClient } from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';
import { type FaultCase, faults, STALL_TIMEOUT_MS, TIMEOUT_MS, useFaultServers } from './support/fault-server.js';
import { rejectionOf } from './support/secrets.js';
import { failOnUnhandledRejections } from './support/unhandled.js';

const TOKEN = 'tok-smithcart-4e5f6a7b8c9d';

failOnUnhandledRejections();

const servers = useFaultServers();

const client = (timeout = TIMEOUT_MS) =>
  createSmithCartClient({
    baseUrl: servers.main.url,
    token: new AccessToken({ value: TOKEN, expiresAt: Date.now() + 3_600_000, scope: ['public', 'private'] }),
    timeout,
  });

// The client retries as ky does by default: GET is retried twice after a 5xx, a 429/503 whose Retry-After fits the timeout, or a network error.
const cases: (FaultCase & { requests?: number })[] = [
  { name: '500 without Retry-After', fault: () => faults.status(500), code: 'http_error', status: 500, requests: 3 },
  { name: '503 with Retry-After', fault: () => faults.status(503, '1'), code: 'http_error', status: 503, requests: 3 },
  { name: '429 with Retry-After', fault: () => faults.status(429, '30'), code: 'http_error', status: 429 },
  { name: 'headers later than the timeout', fault: () => faults.slowHeaders(5_000), code: 'timeout', stalls: true },
  { name: 'a body that stalls past the timeout', fault: () => faults.slowBody(5_000), code: 'timeout', stalls: true },
  { name: 'a body cut in the middle', fault: () => faults.cutBody({ id: 'x'.repeat(64) }), code: 'network_error' },
  { name: 'HTML instead of JSON', fault: () => faults.html(200), code: 'invalid_response' },
  { name: 'XML with its own content type', fault: () => faults.wrongContentType(), code: 'invalid_response' },
  { name: 'an empty 200', fault: () => faults.empty200(), code: 'invalid_response' },
  { name: 'a connection reset', fault: () => faults.reset(), code: 'network_error', requests: 3 },
];

describe('createSmithCartClient against a faulty API', () => {
  describe.each(cases)('when the API answers $name', ({ fault, code, status, stalls, requests = 1 }) => {
    it(`rejects with the ${code} error after ${requests} request(s), as ky retries`, async () => {
      servers.main.respond(fault());
      const started = performance.now();
      const error = await rejectionOf(client(stalls ? STALL_TIMEOUT_MS : TIMEOUT_MS).get('users/me.json'));
      expect(isGrantKitError(error) && error.code).toBe(code);
      if (status !== undefined) expect((error as { status?: number }).status).toBe(status);
      expect(servers.main.requests).toHaveLength(requests);
      expect(performance.now() - started).toBeLessThan(4_000);
    });
  });

  describe('when the caller sets retry: 0 and passes its own fetch', () => {
    it('sends one request, through that fetch', async () => {
      servers.main.respond(faults.status(500));
      const seen: string[] = [];
      const api = createSmithCartClient({
        baseUrl: servers.main.url,
        token: new AccessToken({ value: TOKEN, scope: ['public', 'private'] }),
        retry: 0,
        fetch: (input, init) => {
          seen.push(input instanceof Request ? input.method : 'GET');
          return fetch(input, init);
        },
      });
      const error = await rejectionOf(api.get('users/me.json'));
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(500);
      expect(servers.main.requests).toHaveLength(1);
      expect(seen).toEqual(['GET']);
    });
  });

  describe('when the API redirects to another host', () => {
    it('does not follow it: rejects with HttpError 302 and sends nothing there', async () => {
      servers.main.respond(faults.redirect(`${servers.other.url}/elsewhere`));
      const error = await client()
        .get('users/me.json')
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(302);
      expect(servers.other.requests).toHaveLength(0);
    });
  });
});
