import { ConfigurationError, isGrantKitError } from '@grantkit/core';
import { createAuthorizationRequest, type StateEntry, type StateStore } from '@grantkit/smithcart';
import { afterEach, describe, expect, it, jest } from '@jest/globals';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function recordingStore(): StateStore & { saved: StateEntry[] } {
  const saved: StateEntry[] = [];
  return { saved, save: (entry) => void saved.push(entry), take: () => undefined };
}

function request(overrides: Partial<Parameters<typeof createAuthorizationRequest>[0]> = {}) {
  return createAuthorizationRequest({
    baseUrl: 'https://api.example.com',
    clientId: 'Y2XPZW50Q31A',
    redirectUri: 'https://www.example.com/callback.html',
    scope: 'private orders',
    stateStore: recordingStore(),
    now: () => NOW,
    ...overrides,
  });
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('createAuthorizationRequest', () => {
  describe('the URL', () => {
    it('points at /oauth2/authorize with response_type=token, client_id, redirect_uri, scope and state (RFC 6749 §4.2.1)', async () => {
      const { url, state } = await request();
      const parsed = new URL(url);
      expect(parsed.origin + parsed.pathname).toBe('https://api.example.com/oauth2/authorize');
      expect([...parsed.searchParams]).toEqual([
        ['response_type', 'token'],
        ['client_id', 'Y2XPZW50Q31A'],
        ['redirect_uri', 'https://www.example.com/callback.html'],
        ['scope', 'private orders'],
        ['state', state],
      ]);
      expect(parsed.hash).toBe('');
    });

    it('percent-encodes the redirect URI and joins the scopes with %20, not +', async () => {
      const { url } = await request({ scope: ['private', 'orders'] });
      expect(url).toContain('redirect_uri=https%3A%2F%2Fwww.example.com%2Fcallback.html');
      expect(new URL(url).searchParams.get('scope')).toBe('private orders');
    });

    it('uses authorizePath when given, such as the document’s /oauth2/authorize.json', async () => {
      const { url } = await request({ authorizePath: '/oauth2/authorize.json' });
      expect(new URL(url).pathname).toBe('/oauth2/authorize.json');
    });

    it('leaves out the scope parameter when no scope is requested', async () => {
      const { url } = await request({ scope: [] });
      expect(new URL(url).searchParams.has('scope')).toBe(false);
    });

    it('collapses repeated scopes and keeps their first-seen order', async () => {
      const { url } = await request({ scope: 'orders private orders' });
      expect(new URL(url).searchParams.get('scope')).toBe('orders private');
    });
  });

  describe('the generated state', () => {
    it('is 256 bits from crypto.getRandomValues, in base64url without padding', async () => {
      const spy = jest.spyOn(globalThis.crypto, 'getRandomValues');
      const { state } = await request();
      expect(spy).toHaveBeenCalledTimes(1);
      const bytes = spy.mock.calls[0]?.[0] as Uint8Array;
      expect(bytes.byteLength).toBe(32);
      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(state, 'base64url')).toEqual(Buffer.from(bytes));
    });

    it('maps every byte to the base64url alphabet, including the bytes that give "-" and "_"', async () => {
      jest.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation((array) => {
        (array as Uint8Array).fill(0xfb);
        return array;
      });
      const { state } = await request();
      expect(state).toBe(Buffer.alloc(32, 0xfb).toString('base64url'));
      expect(state).toContain('-');
      expect(state).toContain('_');
      expect(state).not.toMatch(/[+/=]/);
    });

    it('differs on every request and spreads over the whole alphabet', async () => {
      const states = await Promise.all(Array.from({ length: 500 }, () => request().then((r) => r.state)));
      expect(new Set(states).size).toBe(500);
      expect(new Set(states.join('')).size).toBe(64);
    });

    it('is saved with the requested scope, the redirect URI and an expiry 10 minutes ahead', async () => {
      const stateStore = recordingStore();
      const { state } = await request({ stateStore });
      expect(stateStore.saved).toEqual([
        {
          state,
          scope: 'private orders',
          redirectUri: 'https://www.example.com/callback.html',
          expiresAt: NOW + 10 * 60_000,
        },
      ]);
    });

    it('expires after stateTtlMs when given', async () => {
      const stateStore = recordingStore();
      await request({ stateStore, stateTtlMs: 30_000 });
      expect(stateStore.saved[0]?.expiresAt).toBe(NOW + 30_000);
    });
  });

  describe('when the caller gives a state', () => {
    it('sends and saves it unchanged', async () => {
      const stateStore = recordingStore();
      const { url, state } = await request({ state: 'cmFuZG9t', stateStore });
      expect(state).toBe('cmFuZG9t');
      expect(new URL(url).searchParams.get('state')).toBe('cmFuZG9t');
      expect(stateStore.saved[0]?.state).toBe('cmFuZG9t');
    });

    it.each([[''], ['new\nline'], ['é']])(
      'refuses %j, which is not printable ASCII (RFC 6749 Appendix A.5)',
      async (state) => {
        await expect(request({ state })).rejects.toThrow(ConfigurationError);
      },
    );
  });

  describe('the redirect URI', () => {
    it.each([
      ['https://www.example.com/callback.html'],
      ['https://www.example.com/callback?app=1'],
      ['http://127.0.0.1:8123/callback'],
      ['http://localhost:3000/callback'],
      ['http://[::1]:3000/callback'],
    ])('accepts %s (https, or http on a loopback host)', async (redirectUri) => {
      const { url } = await request({ redirectUri });
      expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirectUri);
    });

    it.each([
      ['http://www.example.com/callback', 'plain http outside loopback'],
      ['myapp://callback', 'a custom scheme'],
      ['/callback.html', 'a relative URI'],
      ['https://www.example.com/callback.html#done', 'a fragment (RFC 6749 §3.1.2)'],
      ['https://user:pw@www.example.com/callback.html', 'credentials'],
    ])('refuses %s (%s) with a ConfigurationError and saves nothing', async (redirectUri) => {
      const stateStore = recordingStore();
      const error = await request({ redirectUri, stateStore }).catch((caught: unknown) => caught);
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect((error as Error).message).toContain('redirectUri');
      expect(stateStore.saved).toEqual([]);
    });
  });

  describe('when an option is wrong', () => {
    it('refuses a non-https baseUrl', async () => {
      await expect(request({ baseUrl: 'http://api.example.com' })).rejects.toThrow(/baseUrl.*https/);
    });

    it('refuses an unknown scope and lists the known ones', async () => {
      await expect(request({ scope: 'private admin' })).rejects.toThrow(
        'Unknown scope "admin". Known scopes: public, private, create, edit, delete, users, orders.',
      );
    });

    it('refuses an empty client ID', async () => {
      await expect(request({ clientId: '' })).rejects.toThrow(/clientId/);
    });

    it('refuses an authorizePath that leaves baseUrl’s origin', async () => {
      await expect(request({ authorizePath: 'https://evil.example/oauth2/authorize' })).rejects.toThrow(
        /authorizePath/,
      );
      await expect(request({ authorizePath: '//evil.example/oauth2/authorize' })).rejects.toThrow(/authorizePath/);
    });

    it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses stateTtlMs %p', async (stateTtlMs) => {
      await expect(request({ stateTtlMs })).rejects.toThrow(/stateTtlMs/);
    });
  });
});
