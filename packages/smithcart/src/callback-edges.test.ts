import { ConfigurationError, InvalidResponseError, StateMismatchError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createAuthorizationRequest, handleCallback, MemoryStateStore, type StateStore } from './index.js';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const REDIRECT_URI = 'https://www.example.com/callback.html';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const tokenFragment = (state: string) =>
  new URLSearchParams({ state, access_token: TOKEN, token_type: 'bearer', expires_in: '3600', scope: 'public' });

describe('handleCallback at its edges', () => {
  it('accepts location.hash alone, checked against the state store', async () => {
    const stateStore = new MemoryStateStore();
    const { state } = await createAuthorizationRequest({
      baseUrl: 'https://api.example.com',
      clientId: 'Y2XPZW50Q31A',
      redirectUri: REDIRECT_URI,
      scope: 'public',
      stateStore,
      now: () => NOW,
    });
    const { token } = await handleCallback(`#${tokenFragment(state)}`, { stateStore, now: () => NOW });
    expect(token.expose()).toBe(TOKEN);
  });

  it('reads a fragment without its "#" whose state has a colon as a fragment, not as a URL', async () => {
    const { token } = await handleCallback(`${tokenFragment('st:ate')}`, { expectedState: 'st:ate', now: () => NOW });
    expect(token.expose()).toBe(TOKEN);
  });

  it('refuses a callback that is not a URL and says what to pass', async () => {
    const error = await rejectionOf(handleCallback('https://[www.example.com/callback.html#state=s'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/^The authorization callback is malformed/);
    expect((error as InvalidResponseError).issues).toEqual([
      { path: '', message: 'is neither a URL nor a fragment; pass location.href' },
    ]);
  });

  it('refuses a state whose stored redirect URI is not a URL', async () => {
    const stateStore: StateStore = {
      save: () => undefined,
      take: (state) => ({ state, scope: 'public', redirectUri: 'not a URL', expiresAt: NOW + 60_000 }),
    };
    const callback = `${REDIRECT_URI}#${tokenFragment('s')}`;
    await expect(handleCallback(callback, { stateStore, now: () => NOW })).rejects.toThrow(StateMismatchError);
  });
});

describe('createAuthorizationRequest with a state of its caller', () => {
  it.each([
    ['a line break', 'state\nnext'],
    ['a character outside ASCII', 'état'],
    ['nothing', ''],
  ])('refuses a state with %s', async (_name, state) => {
    const error = await rejectionOf(
      createAuthorizationRequest({
        baseUrl: 'https://api.example.com',
        clientId: 'Y2XPZW50Q31A',
        redirectUri: REDIRECT_URI,
        scope: 'public',
        state,
        stateStore: new MemoryStateStore(),
      }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      '`state` must be printable ASCII (RFC 6749 Appendix A.5); omit it to get a random one.',
    );
  });
});
