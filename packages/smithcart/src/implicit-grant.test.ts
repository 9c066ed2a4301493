import { InsufficientScopeError, OAuthError, StateMismatchError } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createAuthorizationRequest,
  createSmithCartClient,
  handleCallback,
  MemoryStateStore,
  type SmithCartScope,
} from '@grantkit/smithcart';
import { createMockSmithCart, SMITHCART_DEMO_CLIENT, SMITHCART_DEMO_USER } from '@grantkit/smithcart/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const REDIRECT_URI = 'https://www.example.com/callback.html';

let server: ServedHandler;
let stateStore: MemoryStateStore;

beforeEach(async () => {
  server = await serveFetchHandler(createMockSmithCart());
  stateStore = new MemoryStateStore();
});

afterEach(async () => {
  await server.close();
});

function authorize(scope: SmithCartScope[], authorizePath?: string) {
  return createAuthorizationRequest({
    baseUrl: server.url,
    clientId: SMITHCART_DEMO_CLIENT.clientId,
    redirectUri: REDIRECT_URI,
    scope,
    stateStore,
    ...(authorizePath ? { authorizePath } : {}),
  });
}

/** Plays the browser: opens the authorization URL, answers the consent page's form, and returns the redirect. */
async function browse(url: string, decision: 'approve' | 'deny', tick?: readonly string[]): Promise<string> {
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!ticket || !action) throw new Error('the consent page has no form');
  const offered = [...html.matchAll(/name="scope" value="([^"]+)" checked>/g)].map((match) => match[1] ?? '');
  const form = new URLSearchParams({ ticket, username: SMITHCART_DEMO_USER.username, decision });
  for (const scope of tick ?? offered) form.append('scope', scope);
  const answer = await fetch(new URL(action, server.url), { method: 'POST', body: form, redirect: 'manual' });
  expect(answer.status).toBe(302);
  const location = answer.headers.get('location');
  if (!location) throw new Error('the consent answer has no Location');
  return location;
}

describe('the implicit grant against the mock SmithCart on 127.0.0.1', () => {
  describe('when the user approves every scope', () => {
    it('yields a token that the REST client can use', async () => {
      const { url } = await authorize(['private', 'orders']);
      const location = await browse(url, 'approve');
      expect(location.startsWith(`${REDIRECT_URI}#`)).toBe(true);
      const { token, granted, denied } = await handleCallback(location, { stateStore });
      expect(granted.has('private')).toBe(true);
      expect(granted.has('orders')).toBe(true);
      expect(denied.size).toBe(0);
      const smithcart = createSmithCartClient({ baseUrl: server.url, token });
      await expect(smithcart.get('/users/me.json')).resolves.toMatchObject({ username: SMITHCART_DEMO_USER.username });
    });

    it('works the same through /oauth2/authorize.json', async () => {
      const { url } = await authorize(['private'], '/oauth2/authorize.json');
      const { granted } = await handleCallback(await browse(url, 'approve'), { stateStore });
      expect(granted.has('private')).toBe(true);
    });
  });

  describe('when the user unticks some scopes', () => {
    it('reports them in denied', async () => {
      const { url } = await authorize(['private', 'orders', 'create']);
      const location = await browse(url, 'approve', ['private']);
      const { granted, denied } = await handleCallback(location, { stateStore });
      expect(granted.has('orders')).toBe(false);
      expect(denied.toString()).toBe('orders create');
    });
  });

  describe('when the user unticks every scope and approves', () => {
    it('grants nothing, denies every requested scope, and the REST client refuses the write before sending', async () => {
      const { url } = await authorize(['orders', 'create', 'delete']);
      const location = await browse(url, 'approve', []);
      expect(location).toContain('&scope=&');
      const { granted, denied, token } = await handleCallback(location, { stateStore });
      expect(granted.size).toBe(0);
      expect(denied.toString()).toBe('orders create delete');
      const smithcart = createSmithCartClient({ baseUrl: server.url, token });
      await expect(smithcart.create('/users/me/orders.json', {})).rejects.toThrow(InsufficientScopeError);
    });
  });

  describe('when the user denies', () => {
    it('throws OAuthError access_denied', async () => {
      const { url } = await authorize(['private']);
      const error = await handleCallback(await browse(url, 'deny'), { stateStore }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({ error: 'access_denied' });
    });
  });

  describe('when an attacker replays or forges the redirect', () => {
    it('refuses a replayed Location with StateMismatchError', async () => {
      const { url } = await authorize(['private']);
      const location = await browse(url, 'approve');
      await handleCallback(location, { stateStore });
      await expect(handleCallback(location, { stateStore })).rejects.toThrow(StateMismatchError);
    });

    it('refuses a token issued for another authorization request', async () => {
      await authorize(['private']);
      const { url } = await createAuthorizationRequest({
        baseUrl: server.url,
        clientId: SMITHCART_DEMO_CLIENT.clientId,
        redirectUri: REDIRECT_URI,
        scope: ['private'],
        stateStore: new MemoryStateStore(),
      });
      const attackersLocation = await browse(url, 'approve');
      await expect(handleCallback(attackersLocation, { stateStore })).rejects.toThrow(StateMismatchError);
    });

    it('refuses a forged #error= with a wrong state as StateMismatchError, not OAuthError', async () => {
      const { state } = await authorize(['private']);
      const forged = `${REDIRECT_URI}#error=access_denied&state=${state.slice(1)}`;
      await expect(handleCallback(forged, { stateStore })).rejects.toThrow(StateMismatchError);
    });
  });
});
