import { inspect } from 'node:util';
import {
  AccessToken,
  ConfigurationError,
  GrantKitError,
  HttpError,
  InsufficientScopeError,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  StateMismatchError,
  TimeoutError,
  TokenExpiredError,
} from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

const SECRET = 'tok-SeCrEt-77aa66bb55cc44dd';

// Each class as a flow package raises it, with the advice its message must give.
const cases: [string, string, () => GrantKitError, RegExp][] = [
  [
    'OAuthError',
    'oauth_error',
    () =>
      new OAuthError({
        error: 'invalid_grant',
        errorDescription: 'bad password',
        status: 400,
        advice: 'Check the username and password; they were refused.',
      }),
    /Check the username and password/,
  ],
  [
    'StateMismatchError',
    'state_mismatch',
    () => new StateMismatchError('the state was already used'),
    /start the authorization again/,
  ],
  [
    'InvalidResponseError',
    'invalid_response',
    () => new InvalidResponseError('Bad body', { status: 200, issues: [{ path: 'a', message: 'is required' }] }),
    /Check that the URL points at the right server/,
  ],
  [
    'HttpError',
    'http_error',
    () => new HttpError({ status: 503, method: 'GET', url: 'https://api.example.com/x', body: null }),
    /try again later/,
  ],
  [
    'NetworkError',
    'network_error',
    () => new NetworkError('https://api.example.com/token'),
    /Check the URL and your network/,
  ],
  [
    'TimeoutError',
    'timeout',
    () => new TimeoutError('GET https://api.example.com/x', 1_000),
    /raise the `timeout` option/,
  ],
  [
    'TokenExpiredError',
    'token_expired',
    () => new TokenExpiredError(Date.UTC(2026, 0, 1), { advice: 'Ask the user to authorize again.' }),
    /authorize again/,
  ],
  [
    'InsufficientScopeError',
    'insufficient_scope',
    () => new InsufficientScopeError({ required: 'create', granted: 'public' }),
    /request that scope/,
  ],
  [
    'ConfigurationError',
    'configuration_error',
    () => new ConfigurationError('`baseUrl` is missing; pass one.'),
    /pass one/,
  ],
  ['PopupBlockedError', 'popup_blocked', () => new PopupBlockedError(), /Start it from a click/],
  ['PopupClosedError', 'popup_closed', () => new PopupClosedError(), /start again when the user is ready/],
];

describe('grantkit errors', () => {
  describe.each(cases)('%s', (name, code, make, advice) => {
    it(`has name "${name}", code "${code}" and is a GrantKitError and an Error`, () => {
      const error = make();
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(GrantKitError);
      expect(error).toBeInstanceOf(Error);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
    });

    it('says what to do next', () => {
      expect(make().message).toMatch(advice);
    });

    it('serialises to name, code, message and its fields in JSON, without the cause', () => {
      const error = make();
      const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
      expect(json).toMatchObject({ name, code, message: error.message });
      expect(json).not.toHaveProperty('cause');
    });

    it('keeps an access token given as cause redacted in every view', () => {
      const error = make();
      const withCause = Object.assign(Object.create(Object.getPrototypeOf(error)), error, {
        cause: new AccessToken({ value: SECRET }),
      }) as GrantKitError;
      for (const shown of [
        String(withCause),
        String(withCause.stack),
        JSON.stringify(withCause),
        inspect(withCause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        String(withCause.cause),
      ]) {
        expect(shown).not.toContain(SECRET);
      }
    });
  });

  describe('their structured fields', () => {
    it('OAuthError carries the RFC 6749 error, description, URI and status', () => {
      const error = new OAuthError({
        error: 'invalid_client',
        errorDescription: 'unknown client',
        errorUri: 'https://provider.example/errors',
        status: 401,
      });
      expect(error).toMatchObject({
        error: 'invalid_client',
        errorDescription: 'unknown client',
        errorUri: 'https://provider.example/errors',
        status: 401,
      });
      expect(error.message).toBe(
        'The provider answered "invalid_client" (unknown client). Check the client id and client secret of your application registration.',
      );
    });

    it('OAuthError points at the provider documentation for an unknown code', () => {
      expect(new OAuthError({ error: 'slow_down' }).message).toMatch(/See the provider documentation/);
    });

    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
      'OAuthError points at the provider documentation for the code %s, not at an Object.prototype member',
      (code) => {
        expect(new OAuthError({ error: code }).message).toBe(
          `The provider answered "${code}". See the provider documentation for this error code.`,
        );
      },
    );

    it('HttpError carries status, method, url and body, and hints by status', () => {
      const error = new HttpError({ status: 404, method: 'GET', url: 'https://a.example/x', body: { error: 'nope' } });
      expect(error).toMatchObject({ status: 404, method: 'GET', url: 'https://a.example/x', body: { error: 'nope' } });
      expect(error.message).toBe('GET https://a.example/x answered 404. Check the path and the base URL.');
      expect(new HttpError({ status: 429, method: 'GET', url: 'https://a.example', body: '' }).message).toMatch(/wait/);
    });

    it('InvalidResponseError lists each issue by path, "(body)" for the whole body', () => {
      const error = new InvalidResponseError('Bad', { issues: [{ path: '', message: 'must be a JSON object' }] });
      expect(error.message).toBe('Bad ((body): must be a JSON object). Check that the URL points at the right server.');
      expect(error.status).toBeUndefined();
    });

    it('TimeoutError carries timeoutMs', () => {
      expect(new TimeoutError('GET https://a.example', 2_500)).toMatchObject({ timeoutMs: 2_500 });
      expect(new TimeoutError('GET https://a.example', undefined).message).not.toMatch(/within/);
    });

    it('TokenExpiredError carries expiredAt and prints it as ISO 8601', () => {
      const error = new TokenExpiredError(Date.UTC(2026, 0, 1));
      expect(error.expiredAt).toBe(Date.UTC(2026, 0, 1));
      expect(error.message).toContain('2026-01-01T00:00:00.000Z');
      expect(new TokenExpiredError(9e18).message).toContain('9000000000000000000 ms after the epoch');
    });

    it('InsufficientScopeError carries required and granted', () => {
      const error = new InsufficientScopeError({ required: undefined, granted: 'public' });
      expect(error).toMatchObject({ required: undefined, granted: 'public' });
      expect(error.message).toMatch(/was refused for lack of scope/);
    });

    it('passes the cause through', () => {
      const cause = new TypeError('fetch failed');
      expect(new NetworkError('https://a.example', { cause }).cause).toBe(cause);
      expect(new ConfigurationError('x').cause).toBeUndefined();
    });
  });
});

describe('an error without a message (as a production build makes it)', () => {
  it.each(cases)('%s says its code and links to the section of that code', (_, code, make) => {
    const error = make();
    const bare = new GrantKitError(error.code, undefined);
    expect(bare.message).toBe(`${code}: see https://github.com/grantkit/grantkit/blob/main/docs/errors.md#${code}`);
  });

  it('keeps its class, code and fields', () => {
    const error = new TimeoutError(undefined, 1_500);
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'timeout', timeoutMs: 1_500 });
    expect(new ConfigurationError(undefined).message).toMatch(/^configuration_error: see .*#configuration_error$/);
  });
});

describe('core’s own messages', () => {
  it('give no flow’s advice: the flow that raises the error adds it', () => {
    const refused = new OAuthError({ error: 'invalid_grant', status: 400 });
    const expired = new TokenExpiredError(Date.UTC(2026, 0, 1));
    expect(refused.message).not.toMatch(/username|password/i);
    expect(expired.message).not.toMatch(/authorize/i);
    expect(expired.message).toContain('Get a new token.');
  });
});
