import { jwtExpiry } from '@grantkit/core/internal';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './index.js';

const FORM = 'application/x-www-form-urlencoded';
const valid = {
  grant_type: 'password',
  username: SMARTCONNECT_DEMO_USER.username,
  password: SMARTCONNECT_DEMO_USER.password,
  client_id: SMARTCONNECT_DEMO_CLIENT.clientId,
  client_secret: SMARTCONNECT_DEMO_CLIENT.clientSecret,
};

let server: ServedHandler;
let mock: MockSmartConnect;
const clock = { now: Date.UTC(2026, 10, 23, 12) };

beforeEach(async () => {
  clock.now = Date.UTC(2026, 10, 23, 12);
  mock = createMockSmartConnect({ now: () => clock.now, tokenTtlSeconds: 600 });
  server = await serveFetchHandler(mock);
});
afterEach(() => server.close());

function postToken(params: Record<string, string>, init: RequestInit = {}, path = '/token') {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: new URLSearchParams(params).toString(),
    ...init,
  });
}

async function tokenOf(params: Record<string, string> = valid): Promise<string> {
  const response = await postToken(params);
  return ((await response.json()) as { access_token: string }).access_token;
}

function apiGet(path: string, token?: string) {
  return fetch(`${server.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

describe('createMockSmartConnect', () => {
  describe('POST /token', () => {
    it('answers the document example shape: access_token and token_type bearer, not cacheable', async () => {
      const response = await postToken(valid);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type']);
      expect(body.token_type).toBe('bearer');
      expect(jwtExpiry(body.access_token as string)).toBe(clock.now + 600_000);
    });

    it('adds expires_in and issues opaque tokens when asked', async () => {
      const custom = createMockSmartConnect({ issueJwt: false, includeExpiresIn: true, tokenTtlSeconds: 120 });
      const response = await custom(
        new Request('http://mock/token', {
          method: 'POST',
          headers: { 'content-type': FORM },
          body: new URLSearchParams(valid),
        }),
      );
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.expires_in).toBe(120);
      expect(jwtExpiry(body.access_token as string)).toBeUndefined();
    });

    it.each(['grant_type', 'username', 'password', 'client_id', 'client_secret'])(
      'answers 400 invalid_request when %s is missing',
      async (name) => {
        const params: Record<string, string> = { ...valid };
        delete params[name];
        const response = await postToken(params);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: 'invalid_request' });
      },
    );

    it('answers 400 invalid_request when a parameter is empty or repeated', async () => {
      const empty = await postToken({ ...valid, password: '' });
      expect(empty.status).toBe(400);
      expect(await empty.json()).toMatchObject({ error: 'invalid_request' });
      const repeated = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: `${new URLSearchParams(valid)}&username=other%40example.com`,
      });
      expect(repeated.status).toBe(400);
      expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('answers 400 unsupported_grant_type for any grant type but password', async () => {
      const response = await postToken({ ...valid, grant_type: 'client_credentials' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('answers 400 invalid_grant for a wrong password or an unknown user', async () => {
      for (const params of [
        { ...valid, password: 'wrong' },
        { ...valid, username: 'nobody@example.com' },
      ]) {
        const response = await postToken(params);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
      }
    });

    it('answers 401 invalid_client with WWW-Authenticate for a wrong client secret or an unknown client', async () => {
      for (const params of [
        { ...valid, client_secret: 'wrong' },
        { ...valid, client_id: 'unknown' },
      ]) {
        const response = await postToken(params);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(await response.json()).toMatchObject({ error: 'invalid_client' });
      }
    });

    it('refuses a body that is not form-encoded, even with the right values', async () => {
      const response = await postToken(valid, { headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses parameters in the URL', async () => {
      const response = await postToken(valid, {}, `/token?${new URLSearchParams(valid)}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses GET with 405 and Allow: POST', async () => {
      const response = await fetch(`${server.url}/token?${new URLSearchParams(valid)}`);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });

    it('refuses client authentication in a header as well as the body', async () => {
      const response = await postToken(valid, {
        headers: { 'content-type': FORM, authorization: `Basic ${btoa('grantkit-demo:demo-client-secret')}` },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('counts every token request whatever its outcome', async () => {
      await postToken(valid);
      await postToken({ ...valid, password: 'wrong' });
      await postToken({});
      expect(mock.stats).toMatchObject({ tokenRequests: 3, tokensIssued: 1 });
      mock.resetStats();
      expect(mock.stats).toMatchObject({ tokenRequests: 0, tokensIssued: 0 });
    });

    it('answers the next N token requests with the canned failure, then normally', async () => {
      mock.failNextTokenRequests(2, { status: 503, body: 'html' });
      const first = await postToken(valid);
      const second = await postToken(valid);
      const third = await postToken(valid);
      expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
      expect(first.headers.get('content-type')).toMatch(/^text\/html/);
    });
  });

  describe('the sample API', () => {
    it('answers JSON to a valid Bearer token', async () => {
      const token = await tokenOf();
      const me = await apiGet('/api/v1/me', token);
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ username: 'demo@example.com', displayName: 'Demo User' });
      const contacts = await apiGet('/api/v1/contacts', token);
      expect(((await contacts.json()) as unknown[]).length).toBe(3);
      const contact = await apiGet('/api/v1/contacts/2', token);
      expect(await contact.json()).toMatchObject({ id: 2 });
      expect((await apiGet('/api/v1/contacts/99', token)).status).toBe(404);
    });

    it('creates a contact from a JSON POST with 201 and Location, and refuses a malformed one with 400', async () => {
      const token = await tokenOf();
      const post = (body: string) =>
        fetch(`${server.url}/api/v1/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
      const created = await post(JSON.stringify({ name: 'Mary Jackson', email: 'mary@example.com' }));
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/api/v1/contacts/4');
      expect(await (await apiGet('/api/v1/contacts/4', token)).json()).toMatchObject({ name: 'Mary Jackson' });
      expect((await post('{"name":')).status).toBe(400);
      expect((await post(JSON.stringify({ name: 'No email' }))).status).toBe(400);
      expect((await fetch(`${server.url}/api/v1/me`, { method: 'DELETE' })).status).toBe(401);
    });

    it('answers 401 with a bare Bearer challenge when no token is sent (RFC 6750 §3.1)', async () => {
      const response = await apiGet('/api/v1/me');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="SmartConnect"');
    });

    it('answers 401 invalid_token for an unknown token', async () => {
      const response = await apiGet('/api/v1/me', 'not-a-token');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="SmartConnect", error="invalid_token"/);
    });

    it('answers 401 invalid_token once the token expires by the mock clock', async () => {
      const token = await tokenOf();
      clock.now += 599_000;
      expect((await apiGet('/api/v1/me', token)).status).toBe(200);
      clock.now += 1_000;
      const response = await apiGet('/api/v1/me', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });

    it('answers 401 after revokeAllTokens and after the user password changes', async () => {
      const first = await tokenOf();
      mock.revokeAllTokens();
      expect((await apiGet('/api/v1/me', first)).status).toBe(401);

      const second = await tokenOf();
      mock.setPassword(SMARTCONNECT_DEMO_USER.username, 'a new password');
      expect((await apiGet('/api/v1/me', second)).status).toBe(401);
      expect((await postToken(valid)).status).toBe(400);
      expect((await tokenOf({ ...valid, password: 'a new password' })).length).toBeGreaterThan(0);
      expect(mock.stats.apiUnauthorized).toBe(2);
    });

    it('answers 400 invalid_request for a malformed Authorization header', async () => {
      const response = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: 'Bearer a b' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
    });
  });
});
