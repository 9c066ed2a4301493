import { isGrantKitError } from '@grantkit/core';
import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import { describe, expect, it } from '@jest/globals';
import {
  byPath,
  type FaultCase,
  faults,
  STALL_TIMEOUT_MS,
  TIMEOUT_MS,
  useFaultServers,
} from './support/fault-server.js';
import { rejectionOf } from './support/secrets.js';
import { failOnUnhandledRejections } from './support/unhandled.js';

const credentials = {
  username: 'fault-user@example.com',
  password: 'pw-Fault-7c1e9a3b',
  clientId: 'fault-client',
  clientSecret: 'cs-Fault-5d2f8e4a',
};
const tokenOk = faults.json(200, { access_token: 'tok-fault-0a1b2c3d4e5f', token_type: 'bearer', expires_in: 3600 });

failOnUnhandledRejections();

const servers = useFaultServers();

// The token endpoint reads the whole body under its timeout, so every fault ends in a typed error.
const tokenEndpointCases: FaultCase[] = [
  { name: '500 without Retry-After', fault: () => faults.status(500), code: 'http_error', status: 500 },
  { name: '503 with Retry-After', fault: () => faults.status(503, '1'), code: 'http_error', status: 503 },
  { name: '429 with Retry-After', fault: () => faults.status(429, '30'), code: 'http_error', status: 429 },
  {
    name: 'headers later than the timeout',
    fault: () => faults.slowHeaders(5_000, tokenOk),
    code: 'timeout',
    stalls: true,
  },
  {
    name: 'a body that stalls past the timeout',
    fault: () => faults.slowBody(5_000),
    code: 'timeout',
    stalls: true,
  },
  {
    name: 'a body cut in the middle',
    fault: () => faults.cutBody({ access_token: 'x'.repeat(64) }),
    code: 'network_error',
  },
  { name: 'HTML instead of JSON with 200', fault: () => faults.html(200), code: 'invalid_response' },
  { name: 'HTML instead of JSON with 502', fault: () => faults.html(502), code: 'http_error', status: 502 },
  { name: 'XML with its own content type', fault: () => faults.wrongContentType(), code: 'invalid_response' },
  { name: 'an empty 200', fault: () => faults.empty200(), code: 'invalid_response' },
  { name: 'a connection reset', fault: () => faults.reset(), code: 'network_error' },
];

describe('requestPasswordToken against a faulty token endpoint', () => {
  describe.each(tokenEndpointCases)('when the endpoint answers $name', ({ fault, code, status, stalls }) => {
    it(`rejects with the ${code} error after one request, within the timeout`, async () => {
      servers.main.respond(fault());
      const started = performance.now();
      const error = await rejectionOf(
        requestPasswordToken({
          baseUrl: servers.main.url,
          ...credentials,
          timeout: stalls ? STALL_TIMEOUT_MS : TIMEOUT_MS,
        }),
      );
      expect(isGrantKitError(error) && error.code).toBe(code);
      if (status !== undefined) expect((error as { status?: number }).status).toBe(status);
      expect(servers.main.requests).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(4_000);
    });
  });

  describe('when the endpoint redirects to another host', () => {
    it('rejects with HttpError and sends the credentials nowhere else', async () => {
      servers.main.respond(faults.redirect(`${servers.other.url}/token`, 307));
      const error = await rejectionOf(requestPasswordToken({ baseUrl: servers.main.url, ...credentials }));
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(307);
      expect(servers.other.requests).toHaveLength(0);
    });
  });
});

describe('createSmartConnectClient against a faulty token endpoint', () => {
  const client = () =>
    createSmartConnectClient({
      baseUrl: servers.main.url,
      credentials,
      timeout: TIMEOUT_MS,
      tokenRetry: { limit: 2, baseDelayMs: 10, maxDelayMs: 20 },
    });

  describe.each([
    { name: '500', fault: () => faults.status(500) },
    { name: '429', fault: () => faults.status(429, '1') },
    { name: 'a connection reset', fault: () => faults.reset() },
  ])('when every token request gets $name', ({ fault }) => {
    it('sends the token request three times in all, then rejects without calling the API', async () => {
      servers.main.respond(byPath({ '/token': fault() }, faults.json(200, { ok: true })));
      const error = await rejectionOf(client().api.get('api/v1/me').json());
      expect(isGrantKitError(error)).toBe(true);
      expect(servers.main.requests.map((request) => request.path)).toEqual(['/token', '/token', '/token']);
    });
  });

  describe('when the token endpoint refuses the password', () => {
    it('rejects with OAuthError invalid_grant and never asks again', async () => {
      servers.main.respond(faults.json(400, { error: 'invalid_grant', error_description: 'Bad password' }));
      const smartconnect = client();
      const first = await rejectionOf(smartconnect.api.get('api/v1/me').json());
      const second = await rejectionOf(smartconnect.api.get('api/v1/me').json());
      expect(isGrantKitError(first, 'oauth_error') && first.error).toBe('invalid_grant');
      expect(second).toBe(first);
      expect(servers.main.requests).toHaveLength(1);
    });
  });
});

describe('createSmartConnectClient against a faulty API', () => {
  const client = (timeout = TIMEOUT_MS) =>
    createSmartConnectClient({
      baseUrl: servers.main.url,
      credentials,
      timeout,
      kyOptions: { retry: { limit: 2, backoffLimit: 20 } },
    });
  const apiRequests = () => servers.main.requests.filter((request) => request.path !== '/token');

  describe.each([
    { name: '500', fault: () => faults.status(500), status: 500 },
    { name: '503 with Retry-After: 0', fault: () => faults.status(503, '0'), status: 503 },
    { name: '429 with Retry-After: 0', fault: () => faults.status(429, '0'), status: 429 },
  ])('when the API answers $name', ({ fault, status }) => {
    it('retries at most twice, then rejects with HttpError', async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, fault()));
      const error = await rejectionOf(client().api.get('api/v1/me').json());
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(status);
      expect(apiRequests()).toHaveLength(3);
    });
  });

  describe('when the API answers 429 with a Retry-After (3600 s) longer than the timeout', () => {
    it('rejects with HttpError 429 after one API request, without waiting', async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, faults.status(429, '3600')));
      const started = performance.now();
      const error = await rejectionOf(client().api.get('api/v1/me').json());
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(429);
      expect(apiRequests()).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(4_000);
    });
  });

  const apiCases: FaultCase[] = [
    { name: 'a body that stalls past the timeout', fault: () => faults.slowBody(5_000), code: 'timeout', stalls: true },
    { name: 'a body cut in the middle', fault: () => faults.cutBody({ id: 'x'.repeat(64) }), code: 'network_error' },
    { name: 'HTML instead of JSON with 200', fault: () => faults.html(200), code: 'invalid_response' },
    { name: 'XML with its own content type', fault: () => faults.wrongContentType(), code: 'invalid_response' },
  ];

  describe.each(apiCases)('when the API answers $name', ({ fault, code, stalls }) => {
    it(`rejects .json() with the ${code} error after one API request`, async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, fault()));
      const started = performance.now();
      const error = await rejectionOf(
        client(stalls ? STALL_TIMEOUT_MS : TIMEOUT_MS)
          .api.get('api/v1/me')
          .json(),
      );
      expect(isGrantKitError(error) && error.code).toBe(code);
      expect(apiRequests()).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(4_000);
    });
  });

  describe('when the API answers later than the timeout', () => {
    it('rejects with TimeoutError without retrying', async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, faults.slowHeaders(5_000)));
      const error = await rejectionOf(client(STALL_TIMEOUT_MS).api.get('api/v1/me').json());
      expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(STALL_TIMEOUT_MS);
      expect(apiRequests()).toHaveLength(1);
    });
  });

  describe('when the API resets the connection', () => {
    it('retries at most twice, then rejects with NetworkError', async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, faults.reset()));
      const error = await rejectionOf(client().api.get('api/v1/me').json());
      expect(isGrantKitError(error) && error.code).toBe('network_error');
      expect(apiRequests()).toHaveLength(3);
    });
  });

  describe('when the API redirects to another host', () => {
    it('does not follow it: rejects with HttpError 302 and sends nothing there', async () => {
      servers.main.respond(byPath({ '/token': tokenOk }, faults.redirect(`${servers.other.url}/elsewhere`)));
      const error = await client()
        .api.get('api/v1/me')
        .json()
        .catch((e: unknown) => e);
      expect(isGrantKitError(error, 'http_error') && error.status).toBe(302);
      expect(servers.other.requests).toHaveLength(0);
    });
  });
});
