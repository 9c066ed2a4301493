import diagnosticsChannel from 'node:diagnostics_channel';
import { type CallbackEvent, subscribe } from '@grantkit/core';
import { createAuthorizationRequest, handleCallback, MemoryStateStore } from '@grantkit/smithcart';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const REDIRECT_URI = 'https://www.example.com/callback.html';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
const CLIENT_ID = 'Y2XPZW50Q31A';

let events: CallbackEvent[];
let stop: () => void;
let stateStore: MemoryStateStore;

beforeEach(() => {
  events = [];
  stop = subscribe('grantkit:callback', (event) => events.push(event));
  stateStore = new MemoryStateStore();
});
afterEach(() => stop());

async function authorize(scope = 'private orders'): Promise<string> {
  const { state } = await createAuthorizationRequest({
    baseUrl: 'https://api.example.com',
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scope,
    stateStore,
  });
  return state;
}

const callbackUrl = (params: Record<string, string>) => `${REDIRECT_URI}#${new URLSearchParams(params)}`;

async function settle(promise: Promise<unknown>): Promise<void> {
  await promise.then(
    () => undefined,
    () => undefined,
  );
}

describe('the grantkit:callback event of handleCallback', () => {
  it('counts the granted and the denied scopes of a successful callback', async () => {
    const state = await authorize('public private orders');
    await handleCallback(
      callbackUrl({ access_token: TOKEN, token_type: 'bearer', expires_in: '3600', scope: 'public private', state }),
      { stateStore },
    );
    expect(events).toEqual([{ channel: 'grantkit:callback', outcome: 'granted', granted: 2, denied: 1 }]);
  });

  it('gives the error code of a denied authorization, never its description', async () => {
    const state = await authorize();
    await settle(
      handleCallback(callbackUrl({ error: 'access_denied', error_description: 'The user said no', state }), {
        stateStore,
      }),
    );
    expect(events).toEqual([{ channel: 'grantkit:callback', outcome: 'error', errorCode: 'oauth_error' }]);
  });

  it('gives state_mismatch for a forged callback, and no token, state or client id', async () => {
    const forged = 'forged-state-value';
    await settle(
      handleCallback(callbackUrl({ access_token: TOKEN, token_type: 'bearer', state: forged }), { stateStore }),
    );
    expect(events).toEqual([{ channel: 'grantkit:callback', outcome: 'error', errorCode: 'state_mismatch' }]);
    const printed = JSON.stringify(events);
    for (const secret of [TOKEN, forged, CLIENT_ID]) expect(printed).not.toContain(secret);
  });

  it('is published on the diagnostics channel grantkit:callback too', async () => {
    stop();
    const received: unknown[] = [];
    const listener = (message: unknown) => received.push(message);
    diagnosticsChannel.subscribe('grantkit:callback', listener);
    try {
      const state = await authorize('public');
      await handleCallback(callbackUrl({ access_token: TOKEN, token_type: 'bearer', state }), { stateStore });
    } finally {
      diagnosticsChannel.unsubscribe('grantkit:callback', listener);
    }
    expect(received).toEqual([{ channel: 'grantkit:callback', outcome: 'granted', granted: 1, denied: 0 }]);
  });
});
