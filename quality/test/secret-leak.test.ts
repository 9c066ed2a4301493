import { AccessToken, isGrantKitError, parseTokenResponse } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import { createMockSmartConnect } from '@grantkit/smartconnect/testing';
import { createSmithCartClient, handleCallback } from '@grantkit/smithcart';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { recordEvents } from './support/events.js';
import { byPath, type Fault, type FaultServer, faults, startFaultServer } from './support/fault-server.js';
import { captureOutput, expectNoSecrets, leakedSecrets, viewsOf } from './support/secrets.js';
import { failOnUnhandledRejections } from './support/unhandled.js';

// Recognisable canaries, with characters that change under URL and form encoding.
const PASSWORD = 'pw LEAK+canary/7d41c2!';
const WRONG_PASSWORD = 'pw WRONG+canary/0b3e77?';
const CLIENT_SECRET = 'cs&LEAK=canary%93be10';
const TOKEN = 'at-LEAK-canary-5fa8e6c1';
// Canaries for servers that echo the form body back: each reads differently raw, percent-encoded,
// form-encoded (space as +) and JSON-escaped, so an echo must be redacted in every one of those forms.
const ECHO_PASSWORD = 'pw LEAK+canary/9c07e4! &=é"';
const ECHO_CLIENT_SECRET = 'cs&LEAK=canary%2f "é/!+ 4b1d';
const SECRETS = [PASSWORD, WRONG_PASSWORD, CLIENT_SECRET, TOKEN, ECHO_PASSWORD, ECHO_CLIENT_SECRET];
const USERNAME = 'leak-test@example.com';
const CLIENT_ID = 'leak-test-client';
const TIMEOUT_MS = 300;

failOnUnhandledRejections();

let server: FaultServer;
let other: FaultServer;
let mock: ServedHandler;
beforeAll(async () => {
  [server, other, mock] = await Promise.all([
    startFaultServer(),
    startFaultServer(),
    serveFetchHandler(
      createMockSmartConnect({
        users: [{ username: USERNAME, password: PASSWORD }],
        clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
      }),
    ),
  ]);
});
const codesSeen = new Set<string>();
const channelsSeen = new Set<string>();

// Only closes: an assertion here would fail before the servers close, and the open servers would keep jest running.
afterAll(async () => {
  await Promise.all([server.close(), other.close(), mock.close()]);
});
beforeEach(() => server.clearRequests());

/**
 * Runs one failure path with output captured, and checks that it ends in a
 * grantkit error and that neither the error nor the output shows a secret.
 */
async function sweep(run: () => unknown): Promise<void> {
  const recorder = recordEvents();
  const { result: error, output } = await captureOutput(async () => {
    try {
      await run();
    } catch (caught) {
      return caught;
    } finally {
      recorder.stop();
    }
    throw new Error('Expected the failure path to throw, but it succeeded.');
  });
  // The events of the path (token, HTTP, cache…) show no secret, nor the username or the client id.
  expectNoSecrets(recorder.events, [...SECRETS, USERNAME, CLIENT_ID]);
  for (const event of recorder.events) channelsSeen.add((event as { channel: string }).channel);
  expect(isGrantKitError(error)).toBe(true);
  codesSeen.add((error as { code: string }).code);
  expectNoSecrets(error, SECRETS);
  expect(leakedSecrets(output, SECRETS)).toEqual([]);
}

const tokenOk = faults.json(200, { access_token: TOKEN, token_type: 'bearer', expires_in: 3600 });

const echoFaults: [string, () => Fault][] = [
  ['a 500 echoing the request as JSON', () => faults.echo(500, 'json')],
  ['a 400 echoing the request as JSON', () => faults.echo(400, 'json')],
  ['a 500 echoing the request as text', () => faults.echo(500, 'text')],
  ['a 200 echoing the request as JSON', () => faults.echo(200, 'json')],
];

const endpointFaults: [string, () => Fault][] = [
  ['a 503 with Retry-After', () => faults.status(503, '1')],
  ['a 429', () => faults.status(429, '1')],
  ['a 500 whose body is a token response', () => faults.json(500, { access_token: TOKEN, token_type: 'bearer' })],
  ['a 200 token response cut in the middle', () => faults.cutBody({ access_token: TOKEN, token_type: 'bearer' })],
  [
    'a 500 with a token response cut short',
    () => (_request, res) => {
      res.writeHead(500).end(`{"access_token":"${TOKEN}`);
    },
  ],
  ['a token response with token_type mac', () => faults.json(200, { access_token: TOKEN, token_type: 'mac' })],
  ['a token with a space in it', () => faults.json(200, { access_token: `${TOKEN} x`, token_type: 'bearer' })],
  [
    'expires_in that is the token',
    () => faults.json(200, { access_token: TOKEN, token_type: 'bearer', expires_in: TOKEN }),
  ],
  [
    'a scope with a quote in it',
    () => faults.json(200, { access_token: TOKEN, token_type: 'bearer', scope: `${TOKEN}"` }),
  ],
  ['headers later than the timeout', () => faults.slowHeaders(3_000)],
  ['a body that stalls', () => faults.slowBody(3_000, { access_token: TOKEN, token_type: 'bearer' })],
  ['HTML', () => faults.html(200)],
  ['an empty 200', () => faults.empty200()],
  ['a redirect to another host', () => faults.redirect(`${other.url}/token`, 307)],
  ['a connection reset', () => faults.reset()],
];

describe('the secret-leak sweep', () => {
  describe('requestPasswordToken', () => {
    const request = (overrides: Record<string, unknown> = {}) =>
      requestPasswordToken({
        baseUrl: server.url,
        username: USERNAME,
        password: PASSWORD,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        timeout: TIMEOUT_MS,
        ...overrides,
      });

    describe.each(endpointFaults)('when the token endpoint answers %s', (_name, fault) => {
      it('fails without showing the password, the client secret or the token', async () => {
        server.respond(fault());
        await sweep(() => request());
      });
    });

    describe.each(echoFaults)('when the token endpoint answers %s', (_name, fault) => {
      it('fails without showing the password or the client secret', async () => {
        server.respond(fault());
        await sweep(() => request({ password: ECHO_PASSWORD, clientSecret: ECHO_CLIENT_SECRET }));
      });
    });

    it('keeps a refused password out of the invalid_grant error', async () => {
      await sweep(() => request({ baseUrl: mock.url, password: WRONG_PASSWORD }));
    });

    it('keeps a refused client secret out of the invalid_client error', async () => {
      await sweep(() => request({ baseUrl: mock.url, clientSecret: `${CLIENT_SECRET}x` }));
    });

    it('keeps secrets out of the error for a missing username', async () => {
      await sweep(() => request({ username: '' }));
    });

    it('keeps a password put in the base URL out of the error', async () => {
      await sweep(() => request({ baseUrl: `https://${USERNAME}:${encodeURIComponent(PASSWORD)}@example.com` }));
    });

    it('keeps a token in an insecure base URL out of the error', async () => {
      await sweep(() => request({ baseUrl: `http://example.com/?access_token=${TOKEN}` }));
    });
  });

  describe('createSmartConnectClient', () => {
    const client = (baseUrl: string, password = PASSWORD, clientSecret = CLIENT_SECRET) =>
      createSmartConnectClient({
        baseUrl,
        credentials: { username: USERNAME, password, clientId: CLIENT_ID, clientSecret },
        timeout: TIMEOUT_MS,
        tokenRetry: { limit: 1, baseDelayMs: 5, maxDelayMs: 5 },
        kyOptions: { retry: { limit: 1, backoffLimit: 5 } },
      });

    describe.each(endpointFaults)('when the token endpoint answers %s', (_name, fault) => {
      it('fails the API call without showing a secret', async () => {
        server.respond(byPath({ '/token': fault() }, faults.json(200, { ok: true })));
        await sweep(() => client(server.url).api.get('api/v1/me').json());
      });
    });

    describe.each(echoFaults)('when the token endpoint answers %s', (_name, fault) => {
      it('fails the API call without showing the password or the client secret', async () => {
        server.respond(byPath({ '/token': fault() }, faults.json(200, { ok: true })));
        await sweep(() => client(server.url, ECHO_PASSWORD, ECHO_CLIENT_SECRET).api.get('api/v1/me').json());
      });
    });

    it('keeps a refused password out of the error of an API call', async () => {
      await sweep(() => client(mock.url, WRONG_PASSWORD).api.get('api/v1/me').json());
    });

    describe.each([
      ['a 500 echoing the request as JSON', () => faults.echo(500, 'json')],
      ['a 500 echoing the request as text', () => faults.echo(500, 'text')],
      ['a 401 echoing the request, every time', () => faults.echo(401, 'text')],
      ['a 404', () => faults.status(404)],
      ['headers later than the timeout', () => faults.slowHeaders(3_000)],
      ['a connection reset', () => faults.reset()],
    ] as [string, () => Fault][])('when the API answers %s', (_name, fault) => {
      it('fails without showing the token or the credentials', async () => {
        server.respond(byPath({ '/token': tokenOk }, fault()));
        await sweep(() =>
          client(server.url)
            .api.get('api/v1/me', { searchParams: { access_token: TOKEN } })
            .json(),
        );
      });
    });
  });

  describe('createBearerClient', () => {
    const client = (token: AccessToken | string) =>
      createBearerClient({
        prefixUrl: server.url,
        getToken: () => token,
        timeout: TIMEOUT_MS,
        retry: { limit: 1, backoffLimit: 5 },
      });

    describe.each([
      ['a 500 echoing the request as JSON', () => faults.echo(500, 'json')],
      ['a 500 echoing the request as text', () => faults.echo(500, 'text')],
      ['a 401 echoing the request', () => faults.echo(401, 'text')],
      ['a 403', () => faults.status(403)],
      ['headers later than the timeout', () => faults.slowHeaders(3_000)],
      ['a connection reset', () => faults.reset()],
    ] as [string, () => Fault][])('when the API answers %s', (_name, fault) => {
      it.each([
        ['a raw string', TOKEN],
        ['an AccessToken', new AccessToken({ value: TOKEN, scope: ['read'] })],
      ])('fails without showing a token given as %s', async (_kind, token) => {
        server.respond(fault());
        await sweep(() =>
          client(token)
            .get('data', { searchParams: { token: TOKEN } })
            .json(),
        );
      });
    });

    it('keeps the token out of the error when the renewal itself fails', async () => {
      server.respond(faults.echo(401, 'json'));
      const api = createBearerClient({
        prefixUrl: server.url,
        getToken: () => TOKEN,
        refreshToken: async () => {
          throw new AccessTokenRenewalFailure();
        },
        retry: 0,
      });
      const { output } = await captureOutput(async () => {
        await api
          .get('data')
          .json()
          .catch((error: unknown) => {
            expect(error).toBeInstanceOf(AccessTokenRenewalFailure);
          });
      });
      expect(leakedSecrets(output, SECRETS)).toEqual([]);
    });

    it('keeps a token put in the prefix URL out of the error', async () => {
      await sweep(() => createBearerClient({ prefixUrl: `https://u:${TOKEN}@example.com`, getToken: () => TOKEN }));
    });
  });

  describe('the SmithCart client', () => {
    const token = (expiresIn: number, scope: string[] = ['public', 'private']) =>
      new AccessToken({ value: TOKEN, expiresAt: Date.now() + expiresIn, scope });
    const client = (accessToken = token(3_600_000)) =>
      createSmithCartClient({ baseUrl: server.url, token: accessToken, timeout: TIMEOUT_MS });

    describe.each([
      ['a 500 echoing the request as JSON', () => faults.echo(500, 'json')],
      ['a 500 echoing the request as text', () => faults.echo(500, 'text')],
      ['a 401 echoing the request', () => faults.echo(401, 'json')],
      ['a 403', () => faults.status(403)],
      ['HTML', () => faults.html(200)],
      ['headers later than the timeout', () => faults.slowHeaders(3_000)],
      ['a connection reset', () => faults.reset()],
    ] as [string, () => Fault][])('when the API answers %s', (_name, fault) => {
      it('fails without showing the token', async () => {
        server.respond(fault());
        await sweep(() => client().get('users/me.json', { searchParams: { access_token: TOKEN } }));
      });
    });

    it('keeps an expired token out of TokenExpiredError', async () => {
      await sweep(() => client(token(-1_000)).get('users/me.json'));
    });

    it('keeps the token out of InsufficientScopeError', async () => {
      await sweep(() => client().create('users/me/orders.json', { note: TOKEN }));
    });

    it('keeps a token in a URL outside the API origin out of the error', async () => {
      await sweep(() => client().get(`https://elsewhere.example/?access_token=${TOKEN}`));
    });
  });

  describe('handleCallback', () => {
    const fragment = (params: Record<string, string>) => `#${new URLSearchParams(params)}`;
    const withToken = { access_token: TOKEN, token_type: 'bearer', expires_in: '3600', scope: 'public' };

    it.each([
      ['no state', fragment(withToken)],
      ['another state', fragment({ ...withToken, state: 'other-state' })],
      [
        'an error redirect that also carries a token',
        fragment({ ...withToken, error: 'access_denied', state: 'expected' }),
      ],
      ['a duplicated access_token', `${fragment({ ...withToken, state: 'expected' })}&access_token=${TOKEN}`],
      ['a token in the query string', `https://app.example/cb?access_token=${TOKEN}#state=expected`],
      ['token_type mac', fragment({ ...withToken, token_type: 'mac', state: 'expected' })],
      ['a token with a space', fragment({ ...withToken, access_token: `${TOKEN} x`, state: 'expected' })],
      ['expires_in that is the token', fragment({ ...withToken, expires_in: TOKEN, state: 'expected' })],
      ['a scope with a quote', fragment({ ...withToken, scope: `${TOKEN}"`, state: 'expected' })],
    ])('refuses a callback with %s without showing the token', async (_name, callback) => {
      await sweep(() => handleCallback(callback, { expectedState: 'expected' }));
    });

    it('refuses a callback whose state is unknown to the store without showing the token', async () => {
      await sweep(() => handleCallback(fragment({ ...withToken, state: 'never-issued' })));
    });
  });

  describe('core values', () => {
    it('never shows the token of an AccessToken', () => {
      const token = new AccessToken({ value: TOKEN, expiresAt: Date.now(), scope: ['public'] });
      expect(leakedSecrets(`${viewsOf(token)} ${token} ${JSON.stringify({ token })}`, SECRETS)).toEqual([]);
    });

    it.each([
      ['a token with a space', () => new AccessToken({ value: `${TOKEN} x` })],
      ['a stored token with a space', () => AccessToken.fromStorage({ accessToken: `${TOKEN} x`, scope: '' })],
      ['a stored token with a bad scope', () => AccessToken.fromStorage({ accessToken: TOKEN, scope: `"${TOKEN}` })],
      ['a token response that is a bare string', () => parseTokenResponse(TOKEN)],
      ['a token response with a numeric token', () => parseTokenResponse({ access_token: 7, token_type: TOKEN })],
    ])('refuses %s without showing it', async (_name, run) => {
      await sweep(run);
    });
  });
});

// Declared last, so they run after the sweep.
describe('after the sweep', () => {
  it('checked the events of the token life cycle, of every HTTP exchange and of the SmithCart callback', () => {
    expect([...channelsSeen].sort()).toEqual([
      'grantkit:callback',
      'grantkit:http',
      'grantkit:token',
      'grantkit:token:cache',
    ]);
  });

  it('went through every error class grantkit has', () => {
    expect([...codesSeen].sort()).toEqual([
      'configuration_error',
      'http_error',
      'insufficient_scope',
      'invalid_response',
      'network_error',
      'oauth_error',
      'state_mismatch',
      'timeout',
      'token_expired',
    ]);
  });

  it('sent no secret to another host', () => {
    expect(leakedSecrets(JSON.stringify(other.requests), SECRETS)).toEqual([]);
  });
});

/** A renewal failure of the caller's own, which must pass through untouched. */
class AccessTokenRenewalFailure extends Error {
  override name = 'AccessTokenRenewalFailure';
}
