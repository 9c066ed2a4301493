import { inspect } from 'node:util';
import { InvalidResponseError, OAuthError, StateMismatchError } from '@grantkit/core';
import {
  createAuthorizationRequest,
  handleCallback,
  MemoryStateStore,
  type StateEntry,
  type StateStore,
} from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const REDIRECT_URI = 'https://www.example.com/callback.html';
// The token of SmithCart's document: a JWT without `exp`, so its expiry comes from `expires_in`.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';

async function authorize(stateStore: StateStore, scope = 'private orders') {
  const { state } = await createAuthorizationRequest({
    baseUrl: 'https://api.example.com',
    clientId: 'Y2XPZW50Q31A',
    redirectUri: REDIRECT_URI,
    scope,
    stateStore,
    now: () => NOW,
  });
  return state;
}

function callbackUrl(params: Record<string, string>): string {
  return `${REDIRECT_URI}#${new URLSearchParams(params)}`;
}

function tokenParams(state: string, extra: Record<string, string> = {}): Record<string, string> {
  return { access_token: TOKEN, token_type: 'bearer', expires_in: '3600', scope: 'private orders', state, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected the promise to reject with an Error');
  return error;
}

function expectNoSecret(error: Error, ...secrets: string[]): void {
  const views = [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 })];
  for (const secret of secrets) for (const view of views) expect(view).not.toContain(secret);
}

describe('handleCallback', () => {
  describe('when the callback carries a token for a pending state', () => {
    it('returns the token, the granted scopes and no denied scope', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const { token, granted, denied } = await handleCallback(callbackUrl(tokenParams(state)), {
        stateStore,
        now: () => NOW,
      });
      expect(token.expose()).toBe(TOKEN);
      expect(token.tokenType).toBe('bearer');
      expect(token.expiresAt).toBe(NOW + 3600_000);
      expect(granted.toString()).toBe('private orders');
      expect(token.scope.toString()).toBe('private orders');
      expect(denied.size).toBe(0);
    });

    it('accepts the token_type in any case ("Bearer")', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const { token } = await handleCallback(callbackUrl(tokenParams(state, { token_type: 'Bearer' })), {
        stateStore,
        now: () => NOW,
      });
      expect(token.tokenType).toBe('bearer');
    });

    it('uses the default store when given none on either side', async () => {
      const { state } = await createAuthorizationRequest({
        baseUrl: 'https://api.example.com',
        clientId: 'Y2XPZW50Q31A',
        redirectUri: REDIRECT_URI,
        scope: 'private',
      });
      const { granted } = await handleCallback(callbackUrl(tokenParams(state, { scope: 'private' })));
      expect(granted.toString()).toBe('private');
    });
  });

  describe('when the user unticked some scopes', () => {
    it('lists the requested scopes that were not granted in denied', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore, 'private orders create');
      const { granted, denied } = await handleCallback(callbackUrl(tokenParams(state, { scope: 'public private' })), {
        stateStore,
        now: () => NOW,
      });
      expect(granted.toString()).toBe('public private');
      expect(denied.toString()).toBe('orders create');
    });
  });

  describe('when SmithCart leaves out scope', () => {
    it('takes the requested scopes as granted (RFC 6749 §5.1, §3.3)', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const params = tokenParams(state);
      delete params.scope;
      const { granted, denied, token } = await handleCallback(callbackUrl(params), { stateStore, now: () => NOW });
      expect(granted.toString()).toBe('private orders');
      expect(token.scope.toString()).toBe('private orders');
      expect(denied.size).toBe(0);
    });
  });

  describe('when SmithCart sends scope= empty (the user unticked every scope)', () => {
    it('grants nothing and lists every requested scope in denied (RFC 6749 §5.1)', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore, 'orders create delete');
      const { granted, denied, token } = await handleCallback(callbackUrl(tokenParams(state, { scope: '' })), {
        stateStore,
        now: () => NOW,
      });
      expect(granted.size).toBe(0);
      expect(token.scope.size).toBe(0);
      expect(denied.toString()).toBe('orders create delete');
    });

    it('grants nothing with expectedState either', async () => {
      const { granted, denied } = await handleCallback(callbackUrl(tokenParams('s1', { scope: '' })), {
        expectedState: 's1',
        scope: 'private orders',
        now: () => NOW,
      });
      expect(granted.size).toBe(0);
      expect(denied.toString()).toBe('private orders');
    });
  });

  describe('when the fragment is malformed', () => {
    it.each([['state'], ['access_token'], ['error']])(
      'throws InvalidResponseError for a duplicated %s before looking at the state (RFC 6749 §3.1)',
      async (name) => {
        const stateStore = new MemoryStateStore();
        const state = await authorize(stateStore);
        const url = `${callbackUrl(tokenParams(state, { error: 'access_denied' }))}&${name}=${name === 'state' ? state : 'x'}`;
        const error = await failure(handleCallback(url, { stateStore, now: () => NOW }));
        expect(error).toBeInstanceOf(InvalidResponseError);
        expect(error.message).toContain(`"${name}" more than once`);
        expectNoSecret(error, TOKEN, state);
      },
    );

    it('does not name a duplicated parameter it does not know', async () => {
      const error = await failure(handleCallback('#secret-looking-name=1&secret-looking-name=2'));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toContain('a parameter more than once');
      expect(error.message).not.toContain('secret-looking-name');
    });

    it('throws InvalidResponseError for a token in the query string, without showing it', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const url = `${REDIRECT_URI}?access_token=${TOKEN}#${new URLSearchParams(tokenParams(state))}`;
      const error = await failure(handleCallback(url, { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(/query string/);
      expectNoSecret(error, TOKEN);
    });

    it('throws InvalidResponseError for a bare query string carrying a token', async () => {
      const error = await failure(handleCallback(`?access_token=${TOKEN}&state=x`));
      expect(error).toBeInstanceOf(InvalidResponseError);
    });

    it('throws InvalidResponseError for a string that is an unparsable URL', async () => {
      const error = await failure(handleCallback('https://[::1'));
      expect(error).toBeInstanceOf(InvalidResponseError);
    });
  });

  describe('when the state is missing', () => {
    it('throws StateMismatchError and discards the token', async () => {
      const stateStore = new MemoryStateStore();
      await authorize(stateStore);
      const params = tokenParams('');
      const error = await failure(handleCallback(callbackUrl(params), { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(StateMismatchError);
      expect(error.message).toMatch(/no state/);
      expectNoSecret(error, TOKEN);
    });

    it('throws StateMismatchError, not OAuthError, for an error= redirect without state', async () => {
      const error = await failure(handleCallback('#error=access_denied', { stateStore: new MemoryStateStore() }));
      expect(error).toBeInstanceOf(StateMismatchError);
    });

    it('throws StateMismatchError for an empty callback', async () => {
      await expect(handleCallback('', { stateStore: new MemoryStateStore() })).rejects.toThrow(StateMismatchError);
      await expect(handleCallback(REDIRECT_URI, { stateStore: new MemoryStateStore() })).rejects.toThrow(
        StateMismatchError,
      );
    });
  });

  describe('when the state is unknown (forged)', () => {
    it('throws StateMismatchError without echoing the received state or the token', async () => {
      const stateStore = new MemoryStateStore();
      await authorize(stateStore);
      const forged = 'forged-state-chosen-by-an-attacker';
      const error = await failure(handleCallback(callbackUrl(tokenParams(forged)), { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(StateMismatchError);
      expect(error.message).toMatch(/unknown or was already used/);
      expectNoSecret(error, TOKEN, forged);
    });

    it('throws StateMismatchError, not OAuthError, for a forged #error= redirect', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const url = callbackUrl({ error: 'access_denied', error_description: 'forged', state: `${state}x` });
      await expect(handleCallback(url, { stateStore, now: () => NOW })).rejects.toThrow(StateMismatchError);
    });

    it('throws StateMismatchError for a tampered state and keeps the real one usable', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const tampered = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
      await expect(handleCallback(callbackUrl(tokenParams(tampered)), { stateStore, now: () => NOW })).rejects.toThrow(
        StateMismatchError,
      );
      const { token } = await handleCallback(callbackUrl(tokenParams(state)), { stateStore, now: () => NOW });
      expect(token.expose()).toBe(TOKEN);
    });

    it('throws StateMismatchError when a store hands back another entry than the one asked for', async () => {
      const entry: StateEntry = { state: 'other', scope: '', redirectUri: REDIRECT_URI, expiresAt: NOW + 1 };
      const stateStore: StateStore = { save: () => undefined, take: () => entry };
      await expect(handleCallback(callbackUrl(tokenParams('mine')), { stateStore, now: () => NOW })).rejects.toThrow(
        StateMismatchError,
      );
    });
  });

  describe('when the state was already used', () => {
    it('throws StateMismatchError on the replay and returns no token', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const url = callbackUrl(tokenParams(state));
      await handleCallback(url, { stateStore, now: () => NOW });
      const error = await failure(handleCallback(url, { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(StateMismatchError);
      expectNoSecret(error, TOKEN, state);
    });

    it('throws StateMismatchError after an error= callback consumed it', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      await expect(
        handleCallback(callbackUrl({ error: 'access_denied', state }), { stateStore, now: () => NOW }),
      ).rejects.toThrow(OAuthError);
      await expect(handleCallback(callbackUrl(tokenParams(state)), { stateStore, now: () => NOW })).rejects.toThrow(
        StateMismatchError,
      );
    });
  });

  describe('when the state has expired', () => {
    it('throws StateMismatchError once 10 minutes have passed', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const error = await failure(
        handleCallback(callbackUrl(tokenParams(state)), { stateStore, now: () => NOW + 10 * 60_000 }),
      );
      expect(error).toBeInstanceOf(StateMismatchError);
      expect(error.message).toMatch(/expired/);
      expectNoSecret(error, TOKEN, state);
    });

    it('still accepts it one millisecond before', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const { token } = await handleCallback(callbackUrl(tokenParams(state)), {
        stateStore,
        now: () => NOW + 10 * 60_000 - 1,
      });
      expect(token.expose()).toBe(TOKEN);
    });
  });

  describe('when the callback arrives at another redirect URI than its state was issued for', () => {
    it('throws StateMismatchError', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const url = `https://www.example.com/other.html#${new URLSearchParams(tokenParams(state))}`;
      await expect(handleCallback(url, { stateStore, now: () => NOW })).rejects.toThrow(/another redirect URI/);
    });
  });

  describe('with expectedState', () => {
    it('accepts the same state and computes denied from scope', async () => {
      const { granted, denied } = await handleCallback(callbackUrl(tokenParams('s3cr3t', { scope: 'private' })), {
        expectedState: 's3cr3t',
        scope: ['private', 'orders'],
        now: () => NOW,
      });
      expect(granted.toString()).toBe('private');
      expect(denied.toString()).toBe('orders');
    });

    it.each([['s3cr3T'], ['s3cr3'], ['s3cr3tt'], ['an-unrelated-state']])(
      'throws StateMismatchError for %j without echoing it',
      async (received) => {
        const error = await failure(
          handleCallback(callbackUrl(tokenParams(received)), { expectedState: 's3cr3t', now: () => NOW }),
        );
        expect(error).toBeInstanceOf(StateMismatchError);
        expectNoSecret(error, TOKEN, received);
      },
    );

    it('throws StateMismatchError for a replacement character when the expected state has a lone surrogate', async () => {
      // UTF-8 encodes both as EF BF BD: the state must be compared as the strings given, not as their encodings.
      const error = await failure(
        handleCallback(callbackUrl(tokenParams('\uFFFD')), { expectedState: '\uD800', now: () => NOW }),
      );
      expect(error).toBeInstanceOf(StateMismatchError);
    });

    it('takes the granted scope as the only scope when neither side names one', async () => {
      const params = tokenParams('s3cr3t');
      delete params.scope;
      const { granted, denied } = await handleCallback(callbackUrl(params), {
        expectedState: 's3cr3t',
        now: () => NOW,
      });
      expect(granted.size).toBe(0);
      expect(denied.size).toBe(0);
    });
  });

  describe('when SmithCart redirected with error=', () => {
    it('throws OAuthError with error, error_description and error_uri (RFC 6749 §4.2.2.1)', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const url = callbackUrl({
        error: 'access_denied',
        error_description: 'The user denied the request',
        error_uri: 'https://api.example.com/docs/errors#access_denied',
        state,
      });
      const error = await failure(handleCallback(url, { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({
        code: 'oauth_error',
        error: 'access_denied',
        errorDescription: 'The user denied the request',
        errorUri: 'https://api.example.com/docs/errors#access_denied',
      });
    });

    it('throws OAuthError for invalid_scope even when a token came along, and does not show it', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const error = await failure(
        handleCallback(callbackUrl(tokenParams(state, { error: 'invalid_scope' })), { stateStore, now: () => NOW }),
      );
      expect(error).toMatchObject({ name: 'OAuthError', error: 'invalid_scope' });
      expectNoSecret(error, TOKEN);
    });
  });

  describe('when the token parameters are invalid', () => {
    it.each([
      [{ access_token: '' }, 'access_token'],
      [{ token_type: 'mac' }, 'token_type'],
      [{ token_type: '' }, 'token_type'],
      [{ expires_in: 'soon' }, 'expires_in'],
      [{ expires_in: '0' }, 'expires_in'],
      [{ scope: 'private "orders"' }, 'scope'],
    ])('throws InvalidResponseError for %j, naming %s but not the token', async (change, field) => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const error = await failure(
        handleCallback(callbackUrl(tokenParams(state, change)), { stateStore, now: () => NOW }),
      );
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).issues.map((issue) => issue.path)).toContain(field);
      expectNoSecret(error, TOKEN);
    });
  });

  describe('the token expiry', () => {
    it('comes from expires_in, else from a JWT exp claim, else stays unknown (as parseTokenResponse does)', async () => {
      const stateStore = new MemoryStateStore();
      const expiryOf = async (extra: Record<string, string>, drop: boolean) => {
        const state = await authorize(stateStore);
        const params = tokenParams(state, extra);
        if (drop) delete params.expires_in;
        return (await handleCallback(callbackUrl(params), { stateStore, now: () => NOW })).token.expiresAt;
      };
      await expect(expiryOf({ expires_in: '60' }, false)).resolves.toBe(NOW + 60_000);
      const jwt = `e30.${btoa(JSON.stringify({ exp: 1_900_000_000 })).replace(/=+$/, '')}.c2ln`;
      await expect(expiryOf({ access_token: jwt }, true)).resolves.toBe(1_900_000_000_000);
      await expect(expiryOf({ access_token: 'opaque' }, true)).resolves.toBeUndefined();
    });

    it('reports every bad field at once, by name', async () => {
      const stateStore = new MemoryStateStore();
      const state = await authorize(stateStore);
      const params = { state, token_type: 'mac', expires_in: '-1', scope: 'a"b' };
      const error = await failure(handleCallback(callbackUrl(params), { stateStore, now: () => NOW }));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).issues.map((issue) => issue.path)).toEqual([
        'access_token',
        'token_type',
        'expires_in',
        'scope',
      ]);
    });
  });

  describe('reading the fragment', () => {
    async function granted(input: string | URL): Promise<string> {
      const result = await handleCallback(input, { expectedState: 'st', scope: 'private', now: () => NOW });
      return result.granted.toString();
    }
    const fragment = 'access_token=abc&token_type=bearer&expires_in=60&scope=private+orders&state=st';

    it('takes a full URL, a URL object, "#…" and a bare fragment alike', async () => {
      expect(await granted(`${REDIRECT_URI}#${fragment}`)).toBe('private orders');
      expect(await granted(new URL(`${REDIRECT_URI}#${fragment}`))).toBe('private orders');
      expect(await granted(`#${fragment}`)).toBe('private orders');
      expect(await granted(fragment)).toBe('private orders');
    });

    it('decodes "+" and percent-escapes as application/x-www-form-urlencoded (RFC 6749 §4.2.2)', async () => {
      const result = await handleCallback('#access_token=abc&token_type=bearer&scope=private%20orders&state=a%2Bb+c', {
        expectedState: 'a+b c',
        now: () => NOW,
      });
      expect(result.granted.toString()).toBe('private orders');
    });

    it('keeps the redirect URI’s own query apart from the fragment', async () => {
      expect(await granted(`https://www.example.com/cb?tab=orders#${fragment}`)).toBe('private orders');
    });

    it('ignores empty pairs and unknown parameters', async () => {
      expect(await granted(`#&&${fragment}&&x-extra=1&flag`)).toBe('private orders');
    });

    it('treats parameter names such as __proto__ and constructor as plain names', async () => {
      expect(await granted(`#__proto__=1&constructor=2&toString=3&${fragment}`)).toBe('private orders');
      await expect(handleCallback('#state=__proto__', { stateStore: new MemoryStateStore() })).rejects.toThrow(
        StateMismatchError,
      );
    });

    it('tolerates malformed percent-escapes outside the fields it checks', async () => {
      expect(await granted(`#junk=%E0%A4%A&${fragment}`)).toBe('private orders');
    });
  });
});
