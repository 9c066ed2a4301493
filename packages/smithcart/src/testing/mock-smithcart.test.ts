import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmithCart,
  isRegisteredRedirectUri,
  type MockSmithCart,
  SMITHCART_DEMO_CLIENT,
  SMITHCART_DEMO_DATA,
  SMITHCART_DEMO_USER,
} from '@grantkit/smithcart/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const CALLBACK = 'https://www.example.com/callback.html';

let mock: MockSmithCart;
let server: ServedHandler;
beforeEach(async () => {
  mock = createMockSmithCart({ pageSize: 10 });
  server = await serveFetchHandler(mock);
});
afterEach(async () => {
  await server.close();
});

function authorizeUrl(params: Record<string, string>, path = '/oauth2/authorize'): string {
  const query = new URLSearchParams({
    response_type: 'token',
    client_id: SMITHCART_DEMO_CLIENT.clientId,
    redirect_uri: CALLBACK,
    ...params,
  });
  return `${server.url}${path}?${query}`;
}

/** Plays the browser: GET the consent page, then submit its form as a user would. */
async function consent(url: string, decision: 'approve' | 'deny', tick?: string[]) {
  const pageResponse = await fetch(url, { redirect: 'manual' });
  expect(pageResponse.status).toBe(200);
  const html = await pageResponse.text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const offered = [...html.matchAll(/name="scope" value="([^"]+)" checked>/g)].map((match) => match[1] as string);
  const form = new URLSearchParams({ ticket, username: SMITHCART_DEMO_USER.username, decision });
  for (const scope of tick ?? offered) form.append('scope', scope);
  const response = await fetch(new URL(action, server.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  return { html, response, form };
}

function fragmentOf(response: Response): URLSearchParams {
  const location = response.headers.get('location') ?? '';
  expect(location).toContain('#');
  return new URLSearchParams(location.slice(location.indexOf('#') + 1));
}

describe('createMockSmithCart', () => {
  describe('GET /oauth2/authorize with a valid request', () => {
    it.each(['/oauth2/authorize', '/oauth2/authorize.json'])(
      'on %s shows a consent page with a checkbox per scope, public ticked and disabled',
      async (path) => {
        const response = await fetch(authorizeUrl({ scope: 'public private orders', state: 's1' }, path));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain('https://www.example.com');
        const html = await response.text();
        expect(html).not.toContain('<script');
        expect(html).toContain('name="scope" value="public" checked disabled>');
        expect(html).toContain('name="scope" value="private" checked>');
        expect(html).toContain('name="scope" value="orders" checked>');
        expect(html).toContain(`action="${path}"`);
      },
    );

    it('names SmithCart and the client, and styles itself only through a style its CSP allows by hash', async () => {
      const response = await fetch(authorizeUrl({ scope: 'private', state: 's1' }));
      const csp = response.headers.get('content-security-policy') ?? '';
      const html = await response.text();
      expect(html).toContain('<header>SmithCart</header>');
      expect(html).toContain(`<title>Authorize ${SMITHCART_DEMO_CLIENT.name} · SmithCart</title>`);
      const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((match) => match[1] as string);
      expect(styles).toHaveLength(1);
      expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(styles[0]));
      const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
      expect(csp).toContain(`style-src 'sha256-${hash}';`);
      expect(csp).not.toContain('unsafe-inline');
    });

    it('styles its error page the same way', async () => {
      const response = await fetch(authorizeUrl({ client_id: 'unknown' }));
      expect(response.status).toBe(400);
      const html = await response.text();
      const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style));
      const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
      expect(response.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}';`);
      expect(html).toContain('<header>SmithCart</header>');
    });
  });

  describe('when the user approves every scope', () => {
    it('redirects 302 to redirect_uri with the token, bearer type, lifetime, scope and state in the fragment', async () => {
      const { response } = await consent(authorizeUrl({ scope: 'public private orders', state: 'xyz' }), 'approve');
      expect(response.status).toBe(302);
      expect(response.headers.get('location')?.startsWith(`${CALLBACK}#access_token=`)).toBe(true);
      const fragment = fragmentOf(response);
      expect([...fragment.keys()]).toEqual(['access_token', 'token_type', 'expires_in', 'scope', 'state']);
      expect(fragment.get('token_type')).toBe('bearer');
      expect(fragment.get('expires_in')).toBe('3600');
      expect(fragment.get('scope')).toBe('public private orders');
      expect(fragment.get('state')).toBe('xyz');
      const grace = await fetch(`${server.url}/users/grace.json`, {
        headers: { authorization: `Bearer ${fragment.get('access_token')}` },
      });
      expect(grace.status).toBe(403);
      const orders = await fetch(`${server.url}/users/me/orders.json`, {
        headers: { authorization: `Bearer ${fragment.get('access_token')}` },
      });
      expect(orders.status).toBe(200);
      expect(mock.stats).toMatchObject({ authorizeRequests: 2, tokensIssued: 1, apiRequests: 2, apiForbidden: 1 });
    });
  });

  describe('when the user unticks some scopes', () => {
    it('grants only the ticked ones, and public whatever the form says', async () => {
      const { response } = await consent(authorizeUrl({ scope: 'public private orders', state: 's' }), 'approve', [
        'private',
        'admin',
      ]);
      expect(fragmentOf(response).get('scope')).toBe('public private');
    });
  });

  describe('when the user denies', () => {
    it('redirects with error=access_denied, a description and the state, and no token', async () => {
      const { response } = await consent(authorizeUrl({ scope: 'private', state: 'st' }), 'deny');
      expect(response.status).toBe(302);
      const fragment = fragmentOf(response);
      expect(fragment.get('error')).toBe('access_denied');
      expect(fragment.get('error_description')).toBeTruthy();
      expect(fragment.get('state')).toBe('st');
      expect(fragment.has('access_token')).toBe(false);
      expect(mock.stats.tokensIssued).toBe(0);
    });
  });

  describe('when the consent form is submitted twice', () => {
    it('refuses the second submission with an HTML error page', async () => {
      const { form } = await consent(authorizeUrl({ scope: 'private', state: 'once' }), 'approve');
      const again = await fetch(`${server.url}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
      expect(again.status).toBe(400);
      expect(again.headers.get('location')).toBeNull();
      expect(mock.stats.tokensIssued).toBe(1);
    });
  });

  describe('when the scope is invalid', () => {
    it.each(['private admin', 'private "quoted"'])(
      'redirects %j with error=invalid_scope and the state',
      async (scope) => {
        const response = await fetch(authorizeUrl({ scope, state: 'st' }), { redirect: 'manual' });
        expect(response.status).toBe(302);
        const fragment = fragmentOf(response);
        expect(fragment.get('error')).toBe('invalid_scope');
        expect(fragment.get('state')).toBe('st');
      },
    );
  });

  describe('when response_type is not token', () => {
    it('redirects with error=unsupported_response_type', async () => {
      const response = await fetch(authorizeUrl({ response_type: 'code', state: 'st' }), { redirect: 'manual' });
      expect(fragmentOf(response).get('error')).toBe('unsupported_response_type');
    });
  });

  describe('when the client is unknown or the redirect URI is not registered', () => {
    it.each([
      ['an unknown client_id', { client_id: 'nobody' }],
      ['no client_id', { client_id: '' }],
      ['a repeated client_id', { client_id: `${SMITHCART_DEMO_CLIENT.clientId}&client_id=x` }],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback.html' }],
      ['a registered URI with a query added', { redirect_uri: `${CALLBACK}?next=/` }],
      ['a registered URI on another port', { redirect_uri: 'https://www.example.com:8443/callback.html' }],
      ['a loopback URI on another path', { redirect_uri: 'http://127.0.0.1:5000/other' }],
      ['localhost instead of the loopback IP', { redirect_uri: 'http://localhost:5000/callback' }],
    ])('with %s shows an HTML error page and never redirects', async (_case, params) => {
      const url = authorizeUrl({ scope: 'private', state: 'st', ...params }).replace(
        '%26client_id%3Dx',
        '&client_id=x',
      );
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('Authorization error');
    });
  });

  describe('when the redirect URI is a registered loopback IP URI on any port (RFC 8252 §7.3)', () => {
    it('accepts it and redirects to that port', async () => {
      const redirect = 'http://127.0.0.1:49152/callback';
      const { response } = await consent(
        authorizeUrl({ redirect_uri: redirect, scope: 'private', state: 'l' }),
        'approve',
      );
      expect(response.headers.get('location')?.startsWith(`${redirect}#access_token=`)).toBe(true);
    });
  });

  describe('the resource API', () => {
    function bearer(scope: string, username = 'ada'): Record<string, string> {
      return { authorization: `Bearer ${mock.issueToken({ username, scope }).access_token}` };
    }

    it('answers 401 with a Bearer challenge without a token, and invalid_token for an unknown or expired one', async () => {
      const none = await fetch(`${server.url}/users/me.json`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="SmithCart"');
      const unknown = await fetch(`${server.url}/users/me.json`, { headers: { authorization: 'Bearer nope' } });
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const headers = bearer('private');
      mock.expireAllTokens();
      const expired = await fetch(`${server.url}/users/me.json`, { headers });
      expect(expired.status).toBe(401);
      expect(mock.stats.apiUnauthorized).toBe(3);
    });

    it('answers 403 insufficient_scope naming the missing scopes', async () => {
      const response = await fetch(`${server.url}/users/grace/orders.json`, {
        method: 'POST',
        headers: { ...bearer('private'), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(response.headers.get('www-authenticate')).toContain('scope="orders create"');
    });

    it('lets users/orders scopes read other users and private read only the owner', async () => {
      const grace = await fetch(`${server.url}/users/grace/profile.json`, { headers: bearer('users') });
      expect(await grace.json()).toMatchObject({ username: 'grace' });
      const own = await fetch(`${server.url}/users/ada/orders/1/line_items.json`, { headers: bearer('private') });
      expect(own.status).toBe(200);
      const other = await fetch(`${server.url}/users/grace/orders/1.json`, { headers: bearer('private') });
      expect(other.status).toBe(403);
    });

    it('pages collections with Link headers', async () => {
      const response = await fetch(`${server.url}/users/me/orders.json?page=2`, { headers: bearer('private') });
      const orders = (await response.json()) as { id: number }[];
      expect(orders.map((order) => order.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      const link = response.headers.get('link') ?? '';
      expect(link).toContain(`<${server.url}/users/me/orders.json?page=3>; rel="next"`);
      expect(link).toContain(`<${server.url}/users/me/orders.json?page=1>; rel="prev"`);
      expect(SMITHCART_DEMO_DATA.ada?.orders?.length).toBeGreaterThanOrEqual(25);
    });

    it('lets a page in the browser read X-Total-Count, Link and Location (CORS)', async () => {
      const response = await fetch(`${server.url}/users/me/orders.json`, { headers: bearer('private') });
      await response.body?.cancel();
      expect(response.headers.get('x-total-count')).toBe(String(SMITHCART_DEMO_DATA.ada?.orders?.length));
      const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/, */);
      expect(exposed).toEqual(expect.arrayContaining(['x-total-count', 'link', 'location']));
    });

    it('answers 201 with Location on POST and 204 on DELETE', async () => {
      const headers = { ...bearer('private create delete'), 'content-type': 'application/json' };
      const created = await fetch(`${server.url}/users/me/orders/3/attributes.json`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'note', value: 'fragile' }),
      });
      expect(created.status).toBe(201);
      const location = created.headers.get('location') ?? '';
      expect(location).toBe(`${server.url}/users/ada/orders/3/attributes/2.json`);
      const removed = await fetch(location, { method: 'DELETE', headers });
      expect(removed.status).toBe(204);
      expect(await removed.text()).toBe('');
      expect((await fetch(location, { headers })).status).toBe(404);
    });

    it('does not let an encoded slash or dot-dot reach another path', async () => {
      const headers = bearer('private users orders');
      for (const path of ['/users/me/..%2Fadmin', '/users/a%2Fb/orders.json', '/users/me/orders/%2E%2E.json']) {
        expect((await fetch(`${server.url}${path}`, { headers })).status).toBe(404);
      }
    });

    it('keeps its own copy of the data', async () => {
      const headers = { ...bearer('private delete') };
      await fetch(`${server.url}/users/me/orders/1.json`, { method: 'DELETE', headers });
      expect(SMITHCART_DEMO_DATA.ada?.orders?.[0]?.id).toBe(1);
      const fresh = createMockSmithCart();
      const token = fresh.issueToken({ username: 'ada', scope: 'private' }).access_token;
      const response = await fresh(
        new Request('http://mock.test/users/me/orders/1.json', { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(response.status).toBe(200);
    });
  });
});

describe('createMockSmithCart options', () => {
  it('issues tokens for tokenTtlSeconds by its own clock, and refuses them after', async () => {
    let clock = Date.UTC(2026, 10, 23, 10);
    const timed = createMockSmithCart({ tokenTtlSeconds: 60, now: () => clock });
    const issued = timed.issueToken({ username: 'ada', scope: ['private'] });
    expect(issued).toMatchObject({ token_type: 'bearer', expires_in: 60, scope: 'private' });
    const call = () =>
      timed(
        new Request('http://mock.test/users/me.json', { headers: { authorization: `Bearer ${issued.access_token}` } }),
      );
    clock += 59_000;
    expect((await call()).status).toBe(200);
    clock += 1_000;
    expect((await call()).status).toBe(401);
  });

  it.each([[{ pageSize: 0 }], [{ pageSize: 2.5 }], [{ tokenTtlSeconds: -1 }]])(
    'refuses %j with ConfigurationError',
    (options) => {
      expect(() => createMockSmithCart(options)).toThrow(expect.objectContaining({ code: 'configuration_error' }));
    },
  );

  it('refuses to issue a token for a user it does not know', () => {
    expect(() => createMockSmithCart().issueToken({ username: 'nobody', scope: 'private' })).toThrow(
      expect.objectContaining({ code: 'configuration_error' }),
    );
  });
});

describe('MockSmithCart.consent', () => {
  const handler = createMockSmithCart();
  const url = (params: Record<string, string>) =>
    `http://mock.test/oauth2/authorize?${new URLSearchParams({
      response_type: 'token',
      client_id: SMITHCART_DEMO_CLIENT.clientId,
      redirect_uri: CALLBACK,
      state: 'st',
      ...params,
    })}`;
  const fragment = (location: string) => new URLSearchParams(location.slice(location.indexOf('#') + 1));

  it('approves without HTML, keeping only the scopes given, and the token works', async () => {
    const location = handler.consent(url({ scope: 'public private orders' }), { scope: ['orders'], username: 'grace' });
    expect(location.startsWith(`${CALLBACK}#access_token=`)).toBe(true);
    const answer = fragment(location);
    expect(answer.get('scope')).toBe('public orders');
    expect(answer.get('state')).toBe('st');
    const response = await handler(
      new Request('http://mock.test/users/me.json', {
        headers: { authorization: `Bearer ${answer.get('access_token')}` },
      }),
    );
    expect(response.status).toBe(403);
    const orders = await handler(
      new Request('http://mock.test/users/me/orders.json', {
        headers: { authorization: `Bearer ${answer.get('access_token')}` },
      }),
    );
    expect(((await orders.json()) as unknown[]).length).toBe(3);
  });

  it('denies, and returns the error redirects of an invalid request', () => {
    expect(fragment(handler.consent(url({ scope: 'private' }), { decision: 'deny' })).get('error')).toBe(
      'access_denied',
    );
    expect(fragment(handler.consent(url({ scope: 'admin' }))).get('error')).toBe('invalid_scope');
  });

  it('throws ConfigurationError where a browser would get an error page', () => {
    for (const bad of [url({ client_id: 'nobody' }), url({ redirect_uri: 'https://evil.example/' })]) {
      expect(() => handler.consent(bad)).toThrow(expect.objectContaining({ code: 'configuration_error' }));
    }
    expect(() => handler.consent(url({ scope: 'private' }), { username: 'nobody' })).toThrow(
      expect.objectContaining({ code: 'configuration_error' }),
    );
  });
});

describe('the authorize endpoint on any query (fast-check)', () => {
  it('never fails with a 5xx and only ever redirects to a registered redirect URI', async () => {
    const handler = createMockSmithCart();
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('token', 'code', SMITHCART_DEMO_CLIENT.clientId, CALLBACK, 'http://127.0.0.1:1/callback'),
      fc.constantFrom('public private', 'orders admin', 'http://evil.example/', '%', '#x'),
    );
    const name = fc.constantFrom('response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'other');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 8 }), async (pairs) => {
        const query = new URLSearchParams(pairs);
        const response = await handler(new Request(`http://mock.test/oauth2/authorize?${query}`));
        expect(response.status).toBeLessThan(500);
        const location = response.headers.get('location');
        if (location !== null) {
          const target = location.slice(0, location.indexOf('#'));
          expect(isRegisteredRedirectUri(SMITHCART_DEMO_CLIENT.redirectUris, target)).toBe(true);
          expect(query.getAll('client_id')).toEqual([SMITHCART_DEMO_CLIENT.clientId]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('isRegisteredRedirectUri', () => {
  it('matches exactly, except the port of loopback IP URIs', () => {
    const registered = ['https://app.example.com/cb', 'http://127.0.0.1/callback', 'http://[::1]:80/cb'];
    expect(isRegisteredRedirectUri(registered, 'https://app.example.com/cb')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'https://app.example.com/cb/')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:8080/callback')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:8080/callback?x=1')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'http://[::1]:9/cb')).toBe(true);
    expect(isRegisteredRedirectUri(registered, 'https://127.0.0.1:8080/callback')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:8080@evil.example/callback')).toBe(false);
    expect(isRegisteredRedirectUri(registered, 'http://127.0.0.1:99999/callback')).toBe(false);
  });
});
