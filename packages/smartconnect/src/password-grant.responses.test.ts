import { GrantKitError, HttpError, InvalidResponseError, NetworkError } from '@grantkit/core';
import { type FetchHandler, type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { requestPasswordToken } from './index.js';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const TOKEN_RESPONSE = { access_token: 'at-1', token_type: 'bearer', expires_in: 3600 };

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function answering(handler: FetchHandler): Promise<string> {
  const server = await serveFetchHandler(handler);
  servers.push(server);
  return server.url;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('requestPasswordToken reading the token endpoint', () => {
  it('throws HttpError for a 502 with an HTML page', async () => {
    const baseUrl = await answering(
      async () => new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    const error = await rejectionOf(requestPasswordToken({ baseUrl, ...credentials }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 502, body: '<h1>Bad gateway</h1>' });
  });

  it('shows [REDACTED] for the body of a 500 that is a token response cut short', async () => {
    const baseUrl = await answering(async () => new Response('{"access_token":"at-cut', { status: 500 }));
    const error = await rejectionOf(requestPasswordToken({ baseUrl, ...credentials }));
    expect(error).toMatchObject({ name: 'HttpError', status: 500, body: '[REDACTED]' });
  });

  it('accepts a token from any 2xx status, 299 included', async () => {
    const baseUrl = await answering(async () => Response.json(TOKEN_RESPONSE, { status: 299 }));
    await expect(requestPasswordToken({ baseUrl, ...credentials })).resolves.toMatchObject({ tokenType: 'bearer' });
  });

  it('throws InvalidResponseError saying the body is not JSON for a 200 with text', async () => {
    const baseUrl = await answering(async () => new Response('OK', { status: 200 }));
    const error = await rejectionOf(requestPasswordToken({ baseUrl, ...credentials }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/^The answer to POST http:\/\/127\.0\.0\.1:\d+\/token is not JSON/);
    expect((error as InvalidResponseError).issues).toEqual([{ path: '', message: 'must be JSON' }]);
  });

  it.each([
    ['null', 'null'],
    ['an array of error objects', '[{"error":"invalid_grant"}]'],
    ['a string', '"invalid_grant"'],
    ['an error code that starts with a quote', '{"error":"\\"invalid_grant"}'],
    ['an error code that ends with a quote', '{"error":"invalid_grant\\""}'],
  ])('throws HttpError, not OAuthError, for a 400 whose JSON body is %s', async (_name, body) => {
    const baseUrl = await answering(async () => new Response(body, { status: 400 }));
    const error = await rejectionOf(requestPasswordToken({ baseUrl, ...credentials }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400 });
  });

  it('takes timeout: false as no timeout', async () => {
    const baseUrl = await answering(async () => Response.json(TOKEN_RESPONSE));
    await expect(requestPasswordToken({ baseUrl, ...credentials, timeout: false })).resolves.toBeDefined();
  });

  it('wraps a fetch that fails in NetworkError, keeping the cause', async () => {
    const cause = new TypeError('fetch failed');
    const error = await rejectionOf(
      requestPasswordToken({
        baseUrl: 'https://smartconnect.example.com',
        ...credentials,
        fetch: async () => {
          throw cause;
        },
      }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).cause).toBe(cause);
  });

  it("passes a grantkit error of the caller's fetch through as it is", async () => {
    const own = new NetworkError('POST https://proxy.example/token');
    const error = await rejectionOf(
      requestPasswordToken({
        baseUrl: 'https://smartconnect.example.com',
        ...credentials,
        fetch: async () => {
          throw own;
        },
      }),
    );
    expect(error).toBe(own);
    expect(error).toBeInstanceOf(GrantKitError);
  });
});
