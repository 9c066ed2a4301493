import { AccessToken, isGrantKitError } from '@grantkit/core';
import { serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { expectNoSecrets, rejectionOf } from '../test/support/expect-no-secrets.js';
import { serve } from '../test/support/serve-handler.js';
import { requestPasswordToken } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const user = { username: 'o+brien & co=1@exämple.com', password: 'p@ss word&=+%20ü€😀', displayName: 'O' };
const client = { clientId: 'app id&=+', clientSecret: 's3cret &=+ ß/?' };
const secrets = [user.password, client.clientSecret];

async function serveMock(options: Parameters<typeof createMockSmartConnect>[0] = {}) {
  const mock = createMockSmartConnect({ users: [user], clients: [client], ...options });
  const seen: { headers: Headers; body: string }[] = [];
  const baseUrl = await serve(async (request) => {
    if (new URL(request.url).pathname === '/token') {
      seen.push({ headers: request.headers, body: await request.clone().text() });
    }
    return mock(request);
  });
  return { mock, baseUrl, seen };
}

const signIn = (baseUrl: string, overrides: Record<string, unknown> = {}) =>
  requestPasswordToken({ baseUrl, ...user, ...client, ...overrides });

/** A fetch that rewrites the form body before it leaves, to make the server see a malformed request. */
function rewritingFetch(edit: (form: URLSearchParams) => void): typeof fetch {
  return async (input, init) => {
    const form = new URLSearchParams(String(init?.body));
    edit(form);
    return fetch(input, { ...init, body: form.toString() });
  };
}

describe('requestPasswordToken', () => {
  describe('when the credentials are right', () => {
    it('POSTs every parameter form-encoded to /token and returns an AccessToken', async () => {
      const { mock, baseUrl, seen } = await serveMock();
      const token = await signIn(baseUrl);

      expect(token).toBeInstanceOf(AccessToken);
      expect(token.tokenType).toBe('bearer');
      expect(mock.stats.tokenRequests).toBe(1);
      const [request] = seen;
      expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(request?.headers.get('accept')).toBe('application/json');
      expect(request?.headers.has('authorization')).toBe(false);
      expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
        grant_type: 'password',
        username: user.username,
        password: user.password,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
    });

    it('percent-encodes &, =, + and non-ASCII and sends spaces as +, so no value leaks into another', async () => {
      const { baseUrl, seen } = await serveMock();
      await signIn(baseUrl);
      const body = seen[0]?.body ?? '';

      expect(body.split('&')).toHaveLength(5);
      expect(body).toContain('username=o%2Bbrien+%26+co%3D1%40ex%C3%A4mple.com');
      expect(body).toContain('password=p%40ss+word%26%3D%2B%2520%C3%BC%E2%82%AC%F0%9F%98%80');
      expect(body).toContain('client_id=app+id%26%3D%2B');
      expect(body).toContain('client_secret=s3cret+%26%3D%2B+%C3%9F%2F%3F');
    });

    it('reads the expiry from the JWT exp claim when the response has no expires_in', async () => {
      const clock = { now: Date.UTC(2026, 10, 23, 12) };
      const { baseUrl } = await serveMock({ now: () => clock.now, tokenTtlSeconds: 600 });
      const token = await signIn(baseUrl);
      expect(token.expiresAt).toBe(clock.now + 600_000);
    });

    it('computes the expiry from expires_in with the given clock when the response has it', async () => {
      const { baseUrl } = await serveMock({ issueJwt: false, includeExpiresIn: true, tokenTtlSeconds: 900 });
      const token = await signIn(baseUrl, { now: () => 1_000 });
      expect(token.expiresAt).toBe(1_000 + 900_000);
    });

    it('leaves the expiry unknown for an opaque token without expires_in', async () => {
      const { baseUrl } = await serveMock({ issueJwt: false });
      const token = await signIn(baseUrl);
      expect(token.expiresAt).toBeUndefined();
      expect(token.expose()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('uses a custom fetch when one is given', async () => {
      const { baseUrl } = await serveMock();
      const calls: string[] = [];
      const token = await signIn(baseUrl, {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          calls.push(input instanceof Request ? `${input.method} ${input.url}` : String(input));
          return fetch(input, init);
        },
      });
      expect(token).toBeInstanceOf(AccessToken);
      expect(calls).toEqual([`POST ${baseUrl}/token`]);
    });

    it('resolves the token endpoint under a base URL with a path', async () => {
      const mock = createMockSmartConnect({ users: [user], clients: [client] });
      const baseUrl = await serve(async (request) => {
        const url = new URL(request.url);
        if (!url.pathname.startsWith('/smartconnect/')) return new Response('not here', { status: 404 });
        url.pathname = url.pathname.slice('/smartconnect'.length);
        return mock(new Request(url, request));
      });
      await expect(signIn(`${baseUrl}/smartconnect`)).resolves.toBeInstanceOf(AccessToken);
    });
  });

  describe('when the provider answers an RFC 6749 §5.2 error', () => {
    it('throws OAuthError invalid_grant for a wrong password, without the password anywhere', async () => {
      const { mock, baseUrl } = await serveMock();
      const error = await rejectionOf(signIn(baseUrl, { password: 'wrong password 123' }));

      expect(isGrantKitError(error, 'oauth_error')).toBe(true);
      expect(error).toMatchObject({ error: 'invalid_grant', status: 400 });
      expect((error as Error).message).toMatch(/username and password/);
      expect(mock.stats.tokenRequests).toBe(1);
      expectNoSecrets(error, [...secrets, 'wrong password 123']);
    });

    it('throws OAuthError invalid_client for a wrong client secret, without the secret anywhere', async () => {
      const { baseUrl } = await serveMock();
      const error = await rejectionOf(signIn(baseUrl, { clientSecret: 'not the secret 456' }));

      expect(isGrantKitError(error, 'oauth_error')).toBe(true);
      expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
      expect((error as Error).message).toMatch(/client id and client secret/);
      expectNoSecrets(error, [...secrets, 'not the secret 456']);
    });

    it('throws OAuthError invalid_request when the server misses a parameter', async () => {
      const { baseUrl } = await serveMock();
      const error = await rejectionOf(
        signIn(baseUrl, { fetch: rewritingFetch((form) => form.delete('client_secret')) }),
      );
      expect(error).toMatchObject({ name: 'OAuthError', error: 'invalid_request', status: 400 });
      expectNoSecrets(error, secrets);
    });

    it('throws OAuthError unsupported_grant_type when the grant type is not password', async () => {
      const { baseUrl } = await serveMock();
      const error = await rejectionOf(
        signIn(baseUrl, { fetch: rewritingFetch((form) => form.set('grant_type', 'client_credentials')) }),
      );
      expect(error).toMatchObject({ name: 'OAuthError', error: 'unsupported_grant_type', status: 400 });
      expectNoSecrets(error, secrets);
    });

    it.each([
      [403, 'invalid_grant'],
      [400, 'invalid_client'],
      [401, 'invalid_client'],
      [200, 'invalid_grant'],
      [500, 'server_error'],
    ])('throws OAuthError whatever the status (%i with %s)', async (status, code) => {
      const baseUrl = await serve(async () =>
        Response.json({ error: code, error_description: 'Refused.', error_uri: 'https://help.example/e' }, { status }),
      );
      const error = await rejectionOf(signIn(baseUrl));
      expect(error).toMatchObject({
        name: 'OAuthError',
        code: 'oauth_error',
        error: code,
        errorDescription: 'Refused.',
        errorUri: 'https://help.example/e',
        status,
      });
    });

    it('drops an error_description that echoes the password', async () => {
      const baseUrl = await serve(async (request) => {
        const form = new URLSearchParams(await request.text());
        return Response.json(
          { error: 'invalid_grant', error_description: `Bad password ${form.get('password')}` },
          { status: 400 },
        );
      });
      const error = await rejectionOf(signIn(baseUrl, { password: 'plain-ascii-password' }));
      expect(error).toMatchObject({ name: 'OAuthError', error: 'invalid_grant' });
      expectNoSecrets(error, ['plain-ascii-password']);
    });
  });

  describe('when the token endpoint echoes the form body back', () => {
    // Secrets that read differently raw, percent-encoded, form-encoded and JSON-escaped.
    const password = 'pw LEAK+canary/7d41c2! &=é"';
    const clientSecret = 'cs&LEAK=canary%93 /é"!';
    const echoingEndpoint = (answer: (body: string) => Response) =>
      serve(async (request) => answer(await request.text()));

    it('throws OAuthError without any of the four form-encoded credentials in error_description', async () => {
      const baseUrl = await echoingEndpoint((body) =>
        Response.json({ error: 'invalid_request', error_description: body }, { status: 400 }),
      );
      const error = await rejectionOf(signIn(baseUrl, { password, clientSecret }));

      expect(error).toMatchObject({ name: 'OAuthError', error: 'invalid_request', status: 400 });
      const { errorDescription } = error as { errorDescription: string };
      expect(errorDescription).toBe(
        'grant_type=password&username=[REDACTED]&password=[REDACTED]&client_id=[REDACTED]&client_secret=[REDACTED]',
      );
      expectNoSecrets(error, [user.username, password, client.clientId, clientSecret]);
    });

    it('throws HttpError without any of the four credentials in a text body', async () => {
      const baseUrl = await echoingEndpoint((body) => new Response(`Could not process ${body}`, { status: 500 }));
      const error = await rejectionOf(signIn(baseUrl, { password, clientSecret }));

      expect(error).toMatchObject({ name: 'HttpError', status: 500 });
      expect((error as { body: unknown }).body).toBe(
        'Could not process grant_type=password&username=[REDACTED]&password=[REDACTED]&client_id=[REDACTED]&client_secret=[REDACTED]',
      );
      expectNoSecrets(error, [user.username, password, client.clientId, clientSecret]);
    });

    it('throws HttpError without the JSON-escaped secrets when the parameters are echoed as JSON in text', async () => {
      const baseUrl = await echoingEndpoint(
        (body) =>
          new Response(`Bad request: ${JSON.stringify(Object.fromEntries(new URLSearchParams(body)))}`, {
            status: 500,
          }),
      );
      const error = await rejectionOf(signIn(baseUrl, { password, clientSecret }));

      expect(error).toMatchObject({ name: 'HttpError', status: 500 });
      expect((error as { body: unknown }).body).toContain('"password":"[REDACTED]"');
      expect((error as { body: unknown }).body).toContain('"client_secret":"[REDACTED]"');
      expect((error as { body: unknown }).body).toContain('"username":"[REDACTED]"');
      expect((error as { body: unknown }).body).toContain('"client_id":"[REDACTED]"');
      expectNoSecrets(error, [user.username, password, client.clientId, clientSecret]);
    });
  });

  describe('when the answer is not a token response', () => {
    it('throws HttpError with the status for a 500 HTML page', async () => {
      const { mock, baseUrl } = await serveMock();
      mock.failNextTokenRequests(1, { status: 500, body: 'html' });
      const error = await rejectionOf(signIn(baseUrl));

      expect(isGrantKitError(error, 'http_error')).toBe(true);
      expect(error).toMatchObject({ status: 500, method: 'POST', url: `${baseUrl}/token` });
      expect((error as { body: unknown }).body).toMatch(/<html>/);
      expectNoSecrets(error, secrets);
    });

    it('throws InvalidResponseError with the status for a 200 HTML page', async () => {
      const baseUrl = await serve(async () => new Response('<html>Sign in</html>', { status: 200 }));
      const error = await rejectionOf(signIn(baseUrl));
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(error).toMatchObject({ status: 200 });
    });

    it('throws InvalidResponseError for truncated JSON, without the partial token', async () => {
      const { mock, baseUrl } = await serveMock();
      mock.failNextTokenRequests(1, { status: 200, body: 'truncated-json' });
      const error = await rejectionOf(signIn(baseUrl));

      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(error).toMatchObject({ status: 200 });
      expectNoSecrets(error, [...secrets, 'eyJhbGciOiJIUzI1NiIsInR5cCI6Ik']);
    });

    it('throws HttpError for truncated JSON with a 502, without the partial token', async () => {
      const { mock, baseUrl } = await serveMock();
      mock.failNextTokenRequests(1, { status: 502, body: 'truncated-json' });
      const error = await rejectionOf(signIn(baseUrl));
      expect(error).toMatchObject({ name: 'HttpError', status: 502 });
      expectNoSecrets(error, [...secrets, 'eyJhbGciOiJIUzI1NiIsInR5cCI6Ik']);
    });

    it('throws InvalidResponseError naming the field for a token_type other than bearer', async () => {
      const baseUrl = await serve(async () => Response.json({ access_token: 'abcd-token-5678', token_type: 'mac' }));
      const error = await rejectionOf(signIn(baseUrl));
      expect(error).toMatchObject({ name: 'InvalidResponseError', issues: [{ path: 'token_type' }] });
      expectNoSecrets(error, ['abcd-token-5678']);
    });

    it('does not follow a redirect, which would replay the credentials elsewhere', async () => {
      const { mock, baseUrl: elsewhere } = await serveMock();
      const baseUrl = await serve(async () => new Response(null, { status: 307, headers: { location: elsewhere } }));
      const error = await rejectionOf(signIn(baseUrl));
      expect(error).toMatchObject({ name: 'HttpError', status: 307 });
      expect(mock.stats.tokenRequests).toBe(0);
    });
  });

  describe('when no answer comes', () => {
    it('throws TimeoutError after the timeout', async () => {
      const { mock, baseUrl } = await serveMock();
      mock.setTokenDelay(300);
      const error = await rejectionOf(signIn(baseUrl, { timeout: 50 }));
      expect(isGrantKitError(error, 'timeout')).toBe(true);
      expect(error).toMatchObject({ timeoutMs: 50 });
      expectNoSecrets(error, secrets);
    });

    it('rejects with the abort reason when the signal aborts', async () => {
      const { mock, baseUrl } = await serveMock();
      mock.setTokenDelay(300);
      const controller = new AbortController();
      const pending = signIn(baseUrl, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user cancelled')), 20);
      await expect(pending).rejects.toThrow('user cancelled');
    });

    it('sends nothing when the signal is already aborted', async () => {
      const { mock, baseUrl } = await serveMock();
      const error = await rejectionOf(signIn(baseUrl, { signal: AbortSignal.abort() }));
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(mock.stats.tokenRequests).toBe(0);
    });

    it('throws NetworkError when the connection is refused', async () => {
      const server = await serveFetchHandler(async () => new Response('unused'));
      await server.close();
      const error = await rejectionOf(signIn(server.url));
      expect(isGrantKitError(error, 'network_error')).toBe(true);
      expect((error as Error).message).toContain(`${server.url}/token`);
      expectNoSecrets(error, secrets);
    });
  });

  describe('when the credentials come as `credentials: { … }`, as the client takes them', () => {
    it('signs in with them', async () => {
      const { baseUrl, seen } = await serveMock();
      const token = await requestPasswordToken({ baseUrl, credentials: { ...user, ...client } });
      expect(token).toBeInstanceOf(AccessToken);
      expect(new URLSearchParams(seen[0]?.body).get('client_id')).toBe(client.clientId);
    });

    it('throws ConfigurationError when flat credentials are passed too, and sends nothing', async () => {
      const { mock, baseUrl } = await serveMock();
      const options = { baseUrl, credentials: { ...user, ...client }, password: user.password };
      const error = await rejectionOf(requestPasswordToken(options as never));
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(mock.stats.tokenRequests).toBe(0);
      expectNoSecrets(error, secrets);
    });
  });

  describe('when the options are wrong', () => {
    it.each(['username', 'password', 'clientId', 'clientSecret'])(
      'throws ConfigurationError naming an empty %s and sends nothing',
      async (field) => {
        const { mock, baseUrl } = await serveMock();
        const error = await rejectionOf(signIn(baseUrl, { [field]: '' }));
        expect(isGrantKitError(error, 'configuration_error')).toBe(true);
        expect((error as Error).message).toContain(`\`${field}\``);
        expect(mock.stats.tokenRequests).toBe(0);
        expectNoSecrets(error, secrets);
      },
    );

    it.each([0, -1, Number.NaN])('throws ConfigurationError for timeout %p', async (timeout) => {
      const error = await rejectionOf(signIn('http://127.0.0.1:9', { timeout }));
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    });
  });

  describe('in a browser', () => {
    const globals = globalThis as { window?: unknown; document?: unknown };
    afterEach(() => {
      delete globals.window;
      delete globals.document;
    });

    it('refuses with ConfigurationError and sends nothing, unless dangerouslyAllowBrowser is true', async () => {
      const { mock, baseUrl } = await serveMock();
      globals.window = {};
      globals.document = {};
      const error = await rejectionOf(signIn(baseUrl));
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(mock.stats.tokenRequests).toBe(0);
      expectNoSecrets(error, secrets);
      await expect(signIn(baseUrl, { dangerouslyAllowBrowser: true })).resolves.toBeInstanceOf(AccessToken);
    });
  });

  it('works with the demo defaults of the mock', async () => {
    const baseUrl = await serve(createMockSmartConnect());
    const token = await requestPasswordToken({ baseUrl, ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT });
    expect(token).toBeInstanceOf(AccessToken);
  });
});
