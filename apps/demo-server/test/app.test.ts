import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createApp, type DemoApp, type DemoAppOptions } from '../src/app.js';
import type { MemorySessionStore } from '../src/session-store.js';

const publicDir = fileURLToPath(new URL('../src/public/', import.meta.url));
const ORIGIN = 'http://127.0.0.1:3000';

const GRACE = { username: 'grace@example.com', password: 'grace-password' };
const smartconnect = createMockSmartConnect({ users: [SMARTCONNECT_DEMO_USER, GRACE] });
let provider: ServedHandler;
let demo: DemoApp;
const logLines: string[] = [];

class ProxyFilterError extends Error {
  override name = 'ProxyFilterError';
}
/** While set, the sample API's answers break mid-body with an error that is not grantkit's and quotes secrets. */
let breakApiBodies = false;
const leakedTokens: string[] = [];

const appFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const bearer = request.headers.get('authorization')?.replace(/^Bearer /, '');
  if (!breakApiBodies || !bearer) return fetch(request);
  leakedTokens.push(bearer);
  const failure = new ProxyFilterError(`blocked Bearer ${bearer} of ${SMARTCONNECT_DEMO_USER.password}`);
  return new Response(new ReadableStream({ start: (controller) => controller.error(failure) }), {
    headers: { 'content-type': 'application/json' },
  });
};

/** The number of live sessions of an app on the default, in-memory sessions. */
function sessionCount(app: DemoApp): number {
  return (app.sessions as MemorySessionStore<unknown>).size;
}

function makeApp(overrides: Partial<DemoAppOptions> = {}): DemoApp {
  return createApp({
    smartconnect: {
      provider: 'embedded',
      target: { baseUrl: provider.url },
      ...SMARTCONNECT_DEMO_CLIENT,
      samplePath: 'api/v1/me',
    },
    smithcart: { provider: 'embedded', baseUrl: 'http://127.0.0.1:4999', clientId: 'Y2XPZW50Q31A' },
    publicDir,
    demo: { smartconnectUser: SMARTCONNECT_DEMO_USER, smithcartUserName: 'Ada Lovelace' },
    log: (line) => logLines.push(line),
    fetch: appFetch,
    ...overrides,
  });
}

beforeAll(async () => {
  provider = await serveFetchHandler(smartconnect);
  demo = makeApp();
});

afterAll(async () => {
  await provider.close();
});

const DEMO_FORM = new URLSearchParams({
  username: SMARTCONNECT_DEMO_USER.username,
  password: SMARTCONNECT_DEMO_USER.password,
}).toString();

/** What @hono/node-server passes as `c.env`: the socket, whose address the sign-in rate limit counts by. */
function fromAddress(remoteAddress: string) {
  return { incoming: { socket: { remoteAddress } } };
}

let nextAddress = 1;
/** A new client address per test, so that the sign-in rate limit of one test does not reach the next. */
function newClient(): string {
  nextAddress += 1;
  return `192.0.2.${nextAddress}`;
}
let client = newClient();
beforeEach(() => {
  client = newClient();
});

function request(path: string, init: RequestInit = {}, address = client, app = demo): Promise<Response> {
  const url = /^https?:/.test(path) ? path : `${ORIGIN}${path}`;
  return Promise.resolve(app.app.request(url, init, fromAddress(address)));
}

function signIn(username: string, password: string, origin = ORIGIN, address = client): Promise<Response> {
  return request(
    '/smartconnect/sign-in',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ username, password }).toString(),
    },
    address,
  );
}

function cookieNamed(response: Response, name: string): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie was set`);
  return cookie;
}

function sessionCookie(response: Response): string {
  return cookieNamed(response, 'grantkit_demo_session');
}

/** Follows a sign-in's or sign-out's redirect home with its flash cookie, as a browser would. */
async function followHome(response: Response, cookies: string[] = []): Promise<string> {
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  const flash = cookieNamed(response, 'grantkit_demo_flash').split(';')[0] as string;
  return (await request('/', { headers: { cookie: [flash, ...cookies].join('; ') } })).text();
}

describe('the demo app', () => {
  describe('on every response', () => {
    const cases: [string, () => Promise<Response>, number][] = [
      ['the home page', () => request('/'), 200],
      ['a stylesheet', () => request('/static/app.css'), 200],
      ['the SmithCart callback page', () => request('/smithcart/callback.html'), 200],
      ['an unknown path', () => request('/no/such/page'), 404],
      ['a refused sign-in', () => signIn(SMARTCONNECT_DEMO_USER.username, 'wrong-password'), 303],
      ['a request for another host name', () => request('http://evil.example:3000/'), 403],
      [
        'a successful sign-in redirect',
        () => signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password),
        303,
      ],
      ['a cross-site form post', () => signIn('a@example.com', 'x', 'https://evil.example'), 403],
    ];

    it.each(cases)('sets strict security headers on %s', async (_name, send, status) => {
      const response = await send();
      expect(response.status).toBe(status);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    });

    it('lets pages call the SmithCart API origin and nothing else', async () => {
      const csp = (await request('/')).headers.get('content-security-policy');
      expect(csp).toContain("connect-src 'self' http://127.0.0.1:4999;");
    });
  });

  describe('the home page', () => {
    it('links its scripts and styles as files, with no inline script or style', async () => {
      const page = await (await request('/')).text();
      expect(page).toContain('<script type="module" src="/static/app.js"></script>');
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    });

    it('shows the demo account but never the client secret', async () => {
      const page = await (await request('/')).text();
      expect(page).toContain(SMARTCONNECT_DEMO_USER.username);
      expect(page).not.toContain(SMARTCONNECT_DEMO_CLIENT.clientSecret);
    });
  });

  describe('POST /smartconnect/sign-in', () => {
    describe('with the right password', () => {
      it('sets a random HttpOnly, SameSite=Lax session cookie and redirects home', async () => {
        const first = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
        const second = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
        expect(first.status).toBe(303);
        expect(first.headers.get('location')).toBe('/');
        const cookie = sessionCookie(first);
        expect(cookie).toMatch(/^grantkit_demo_session=[A-Za-z0-9_-]{43};/);
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; SameSite=Lax/);
        expect(cookie).toMatch(/; Path=\//);
        expect(cookie).not.toMatch(/; Secure/);
        expect(sessionCookie(second).split(';')[0]).not.toBe(cookie.split(';')[0]);
      });

      it('then shows the redacted token and the sample API answer, and no secret', async () => {
        const signedIn = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
        const cookie = sessionCookie(signedIn).split(';')[0] as string;
        const page = await (await request('/', { headers: { cookie } })).text();
        expect(page).toContain('Signed in as <strong>demo@example.com</strong>');
        const text = page.replace(/<[^>]+>/g, '');
        expect(text).toMatch(/Tokenbearer \(value hidden\)\s*Expiresin (59|60) min \(\d\d:\d\d:\d\d UTC\)/);
        expect(text).not.toContain('scope &quot;&quot;');
        expect(page).toContain('Demo User');
        // The mock issues JWTs: no part of one may reach the page.
        expect(page).not.toContain('eyJ');
        expect(page).not.toContain(SMARTCONNECT_DEMO_USER.password);
        expect(page).not.toContain(SMARTCONNECT_DEMO_CLIENT.clientSecret);
      });
    });

    describe('with a wrong password', () => {
      it('redirects home (no POST left to resend), where the message and the username show once, with no password', async () => {
        const response = await signIn(SMARTCONNECT_DEMO_USER.username, 'not-the-password');
        expect(response.headers.getSetCookie().some((line) => line.startsWith('grantkit_demo_session='))).toBe(false);
        expect(cookieNamed(response, 'grantkit_demo_flash')).toMatch(/; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/);
        const page = await followHome(response);
        expect(page).toContain('SmartConnect refused this username and password');
        expect(page).toContain(`value="${SMARTCONNECT_DEMO_USER.username}"`);
        expect(page).not.toContain('not-the-password');
        const flash = cookieNamed(response, 'grantkit_demo_flash').split(';')[0] as string;
        const reloaded = await (await request('/', { headers: { cookie: flash } })).text();
        expect(reloaded).not.toContain('SmartConnect refused');
      });
    });

    describe('with a wrong password in another session after a right one', () => {
      it('shows the refusal, not a signed-in page, and leaves the first session signed in', async () => {
        const first = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
        const firstCookie = sessionCookie(first).split(';')[0] as string;
        const sessionsBefore = sessionCount(demo);

        const second = await signIn(SMARTCONNECT_DEMO_USER.username, 'not-the-password');
        const page = await followHome(second);
        expect(page).toContain('SmartConnect refused this username and password');
        expect(page).not.toContain('Signed in as');
        expect(page).toContain('action="/smartconnect/sign-in"');
        expect(sessionCount(demo)).toBe(sessionsBefore);

        const firstPage = await (await request('/', { headers: { cookie: firstCookie } })).text();
        expect(firstPage).toContain('Signed in as <strong>demo@example.com</strong>');
      });
    });

    describe('with an empty field', () => {
      it('says so on the page it redirects to, without asking SmartConnect', async () => {
        const requests = smartconnect.stats.tokenRequests;
        const page = await followHome(await signIn(SMARTCONNECT_DEMO_USER.username, ''));
        expect(page).toContain('Enter a username and a password.');
        expect(smartconnect.stats.tokenRequests).toBe(requests);
      });
    });

    describe('from another site', () => {
      it('is refused before any sign-in', async () => {
        const response = await signIn(
          SMARTCONNECT_DEMO_USER.username,
          SMARTCONNECT_DEMO_USER.password,
          'https://evil.example',
        );
        expect(response.status).toBe(403);
        expect(response.headers.getSetCookie()).toEqual([]);
      });
    });
  });

  describe('GET / once SmartConnect refuses the stored sign-in', () => {
    it('ends the session and says why', async () => {
      const signedIn = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
      const cookie = sessionCookie(signedIn).split(';')[0] as string;
      const before = sessionCount(demo);
      smartconnect.setPassword(SMARTCONNECT_DEMO_USER.username, 'changed-elsewhere');
      try {
        const page = await (await request('/', { headers: { cookie } })).text();
        expect(page).toContain('SmartConnect no longer accepts this sign-in');
        expect(page).toContain('action="/smartconnect/sign-in"');
        expect(sessionCount(demo)).toBe(before - 1);
      } finally {
        smartconnect.setPassword(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
      }
    });
  });

  describe('GET / when the sample API call fails with an error that is not grantkit’s', () => {
    it('points to the server log, which has the route and the error’s name and no secret', async () => {
      const signedIn = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
      const cookie = sessionCookie(signedIn).split(';')[0] as string;
      logLines.length = 0;
      leakedTokens.length = 0;
      breakApiBodies = true;
      let page: string;
      try {
        page = await (await request('/', { headers: { cookie } })).text();
      } finally {
        breakApiBodies = false;
      }
      expect(page).toContain('The call failed unexpectedly; see the server log.');
      expect(logLines).toContain('Unexpected error in GET /: ProxyFilterError');
      expect(leakedTokens).not.toEqual([]);
      const logged = logLines.join('\n');
      for (const secret of [...leakedTokens, SMARTCONNECT_DEMO_USER.password, SMARTCONNECT_DEMO_CLIENT.clientSecret]) {
        expect(logged).not.toContain(secret);
        expect(page).not.toContain(secret);
      }
      expect(logged).not.toMatch(/blocked|Bearer/);
    });
  });

  describe('POST /smartconnect/sign-in with a body over 8 KiB', () => {
    it('answers 413 without reading it', async () => {
      const response = await signIn(SMARTCONNECT_DEMO_USER.username, 'x'.repeat(10_000));
      expect(response.status).toBe(413);
    });
  });

  describe('POST /smartconnect/sign-out', () => {
    it('forgets the session and clears the cookie', async () => {
      const signedIn = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
      const cookie = sessionCookie(signedIn).split(';')[0] as string;
      const before = sessionCount(demo);
      const response = await request('/smartconnect/sign-out', { method: 'POST', headers: { cookie, origin: ORIGIN } });
      expect(sessionCookie(response)).toMatch(/^grantkit_demo_session=;/);
      expect(sessionCount(demo)).toBe(before - 1);
      const page = await followHome(response, [cookie]);
      expect(page).toContain('Signed out: the server forgot your session and its SmartConnect token.');
      expect(page).toContain('action="/smartconnect/sign-in"');
    });
  });

  describe('static files', () => {
    it.each(['/static/..%2Fapp.ts', '/static/.hidden', '/static/app.ts', '/static/missing.js'])(
      'answers 404 for %s',
      async (path) => {
        expect((await request(path)).status).toBe(404);
      },
    );
  });

  describe('the request log', () => {
    it('has the method, the path without query and the status, and no password', async () => {
      logLines.length = 0;
      await request('/?access_token=secret-in-query');
      await signIn(SMARTCONNECT_DEMO_USER.username, 'wrong-password-in-body');
      expect(logLines[0]).toMatch(/^GET \/ 200 \d+ms$/);
      expect(logLines[1]).toMatch(/^POST \/smartconnect\/sign-in 303 \d+ms$/);
      // A refusal is grantkit's, explained on the page: no "unexpected error" line.
      expect(logLines).toHaveLength(2);
      expect(logLines.join('\n')).not.toMatch(/secret-in-query|wrong-password-in-body|access_token/);
    });
  });

  describe('a request whose Host is not a configured name (DNS rebinding)', () => {
    it('is refused with 403 before the CSRF check, even when Origin matches Host', async () => {
      const rebound = 'http://evil.example:3000';
      const requests = smartconnect.stats.tokenRequests;
      const response = await request(`${rebound}/smartconnect/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: rebound },
        body: DEMO_FORM,
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('add that name to ALLOWED_HOSTS');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(smartconnect.stats.tokenRequests).toBe(requests);
      expect((await request(`${rebound}/`)).status).toBe(403);
    });

    it.each(['http://localhost:3000/', 'http://[::1]:3000/', 'http://127.0.0.1:3000/'])(
      'answers on the loopback name %s by default',
      async (url) => {
        expect((await request(url)).status).toBe(200);
      },
    );

    it('answers on a name given in allowedHosts, and on no other', async () => {
      const named = makeApp({ allowedHosts: ['demo.example.com'] });
      expect((await request('http://demo.example.com/', {}, client, named)).status).toBe(200);
      expect((await request('http://127.0.0.1:3000/', {}, client, named)).status).toBe(403);
    });
  });

  describe('a client that signs in over and over', () => {
    it('gets 429 after 10 attempts a minute and signs nobody else out', async () => {
      const small = makeApp({ sessions: { maxSessions: 15 } });
      const other = newClient();
      const signInTo = (address: string, form = DEMO_FORM) =>
        request(
          '/smartconnect/sign-in',
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
            body: form,
          },
          address,
          small,
        );
      const victim = sessionCookie(await signInTo(other, new URLSearchParams(GRACE).toString())).split(
        ';',
      )[0] as string;
      const requests = smartconnect.stats.tokenRequests;
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 30; attempt += 1) statuses.push((await signInTo(client)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(303));
      expect(new Set(statuses.slice(10))).toEqual(new Set([429]));
      expect(smartconnect.stats.tokenRequests - requests).toBe(10);
      const refused = await signInTo(client);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Too many sign-in attempts from your address.');
      const page = await (await request('/', { headers: { cookie: victim } }, other, small)).text();
      expect(page).toContain('Signed in as <strong>grace@example.com</strong>');
      expect(sessionCount(small)).toBe(11);
    });

    it('as one user on many clients, keeps that user’s 10 most recent sessions and nobody else’s are touched', async () => {
      const small = makeApp({ sessions: { maxSessions: 15 } });
      const signInFrom = (address: string, form = DEMO_FORM) =>
        request(
          '/smartconnect/sign-in',
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
            body: form,
          },
          address,
          small,
        );
      const grace = sessionCookie(await signInFrom(newClient(), new URLSearchParams(GRACE).toString()));
      const first = sessionCookie(await signInFrom(newClient()));
      for (let count = 0; count < 14; count += 1) expect((await signInFrom(newClient())).status).toBe(303);
      expect(sessionCount(small)).toBe(11);
      const home = (cookie: string) =>
        request('/', { headers: { cookie: cookie.split(';')[0] as string } }, client, small);
      expect(await (await home(grace)).text()).toContain('Signed in as <strong>grace@example.com</strong>');
      expect(await (await home(first)).text()).not.toContain('Signed in as');
    });
  });

  describe('behind a TLS-terminating proxy', () => {
    const proxied = (trustProxy: boolean) => makeApp({ allowedHosts: ['demo.example.com'], trustProxy });
    const postSignIn = (app: DemoApp) =>
      request(
        'http://demo.example.com/smartconnect/sign-in',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: 'https://demo.example.com',
            'x-forwarded-proto': 'https',
            'x-forwarded-for': '198.51.100.7',
          },
          body: DEMO_FORM,
        },
        '10.0.0.1',
        app,
      );

    it('with trustProxy, sets a Secure __Host- session cookie and reads it back', async () => {
      const app = proxied(true);
      const response = await postSignIn(app);
      expect(response.status).toBe(303);
      const cookie = cookieNamed(response, '__Host-grantkit_demo_session');
      expect(cookie).toMatch(
        /^__Host-grantkit_demo_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
      const page = await (
        await request(
          'http://demo.example.com/',
          { headers: { cookie: cookie.split(';')[0] as string, 'x-forwarded-proto': 'https' } },
          '10.0.0.1',
          app,
        )
      ).text();
      expect(page).toContain('Signed in as <strong>demo@example.com</strong>');
    });

    it('with trustProxy, counts sign-in attempts by the forwarded client address', async () => {
      const app = proxied(true);
      for (let attempt = 0; attempt < 10; attempt += 1) expect((await postSignIn(app)).status).toBe(303);
      expect((await postSignIn(app)).status).toBe(429);
      const fromAnother = await request(
        'http://demo.example.com/smartconnect/sign-in',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: 'https://demo.example.com',
            'x-forwarded-proto': 'https',
            'x-forwarded-for': '198.51.100.8',
          },
          body: DEMO_FORM,
        },
        '10.0.0.1',
        app,
      );
      expect(fromAnother.status).toBe(303);
    });

    it('without trustProxy, ignores X-Forwarded-Proto: the https Origin is cross-origin and refused', async () => {
      expect((await postSignIn(proxied(false))).status).toBe(403);
    });
  });

  describe('over HTTPS', () => {
    it('names the session cookie with the __Host- prefix and marks it Secure', async () => {
      const response = await request('https://127.0.0.1:3000/smartconnect/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://127.0.0.1:3000' },
        body: DEMO_FORM,
      });
      expect(cookieNamed(response, '__Host-grantkit_demo_session')).toMatch(
        /; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
    });
  });

  describe('source maps', () => {
    it('are not served, even when one lies in the public folder', async () => {
      const folder = await mkdtemp(join(tmpdir(), 'demo-public-'));
      try {
        await writeFile(join(folder, 'app.js'), 'console.log(1);\n');
        await writeFile(join(folder, 'app.js.map'), '{"version":3,"sources":["../src/browser/app.ts"]}');
        const app = makeApp({ publicDir: folder });
        expect((await request('/static/app.js', {}, client, app)).status).toBe(200);
        expect((await request('/static/app.js.map', {}, client, app)).status).toBe(404);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });

  describe('GET /favicon.ico', () => {
    it('answers with an icon, not 404', async () => {
      const response = await request('/favicon.ico');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/x-icon');
      expect(new Uint8Array(await response.arrayBuffer()).subarray(0, 4)).toEqual(new Uint8Array([0, 0, 1, 0]));
    });
  });

  describe('GET / with a token whose expires_in is too large for a date', () => {
    it('says so instead of answering 500', async () => {
      const generous = createMockSmartConnect({ includeExpiresIn: true, tokenTtlSeconds: 1e15 });
      const served = await serveFetchHandler(generous);
      try {
        const app = makeApp({
          smartconnect: {
            provider: 'real',
            target: { baseUrl: served.url },
            ...SMARTCONNECT_DEMO_CLIENT,
            samplePath: 'api/v1/me',
          },
        });
        const signedIn = await request(
          '/smartconnect/sign-in',
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
            body: DEMO_FORM,
          },
          client,
          app,
        );
        const cookie = sessionCookie(signedIn).split(';')[0] as string;
        const response = await request('/', { headers: { cookie } }, client, app);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('too far in the future to show');
      } finally {
        await served.close();
      }
    });
  });
});
