import { fileURLToPath } from 'node:url';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp, type DemoApp } from '../src/app.js';

const publicDir = fileURLToPath(new URL('../src/public/', import.meta.url));
const ORIGIN = 'http://127.0.0.1:3000';

const smartconnect = createMockSmartConnect();
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

beforeAll(async () => {
  provider = await serveFetchHandler(smartconnect);
  demo = createApp({
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
  });
});

afterAll(async () => {
  await provider.close();
});

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(demo.app.request(`${ORIGIN}${path}`, init));
}

function signIn(username: string, password: string, origin = ORIGIN): Promise<Response> {
  return request('/smartconnect/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ username, password }).toString(),
  });
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('grantkit_demo_session='));
  if (!cookie) throw new Error('no session cookie was set');
  return cookie;
}

describe('the demo app', () => {
  describe('on every response', () => {
    const cases: [string, () => Promise<Response>, number][] = [
      ['the home page', () => request('/'), 200],
      ['a stylesheet', () => request('/static/app.css'), 200],
      ['the SmithCart callback page', () => request('/smithcart/callback.html'), 200],
      ['an unknown path', () => request('/no/such/page'), 404],
      ['a refused sign-in', () => signIn(SMARTCONNECT_DEMO_USER.username, 'wrong-password'), 401],
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
        expect(text).toMatch(/AccessToken\(bearer, scope &quot;&quot;, expires \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
        expect(text).toMatch(/Expiresin (59|60) min \(\d\d:\d\d:\d\d UTC\)/);
        expect(page).toContain('Demo User');
        // The mock issues JWTs: no part of one may reach the page.
        expect(page).not.toContain('eyJ');
        expect(page).not.toContain(SMARTCONNECT_DEMO_USER.password);
        expect(page).not.toContain(SMARTCONNECT_DEMO_CLIENT.clientSecret);
      });
    });

    describe('with a wrong password', () => {
      it('answers 401 with a message, keeps the username, sets no cookie and echoes no password', async () => {
        const response = await signIn(SMARTCONNECT_DEMO_USER.username, 'not-the-password');
        const page = await response.text();
        expect(response.status).toBe(401);
        expect(page).toContain('SmartConnect refused this username and password');
        expect(page).toContain(`value="${SMARTCONNECT_DEMO_USER.username}"`);
        expect(page).not.toContain('not-the-password');
        expect(response.headers.getSetCookie()).toEqual([]);
      });
    });

    describe('with a wrong password in another session after a right one', () => {
      it('answers 401 with the refusal, not a signed-in page, and leaves the first session signed in', async () => {
        const first = await signIn(SMARTCONNECT_DEMO_USER.username, SMARTCONNECT_DEMO_USER.password);
        const firstCookie = sessionCookie(first).split(';')[0] as string;
        const sessionsBefore = demo.sessions.size;

        const second = await signIn(SMARTCONNECT_DEMO_USER.username, 'not-the-password');
        const page = await second.text();
        expect(second.status).toBe(401);
        expect(page).toContain('SmartConnect refused this username and password');
        expect(page).not.toContain('Signed in as');
        expect(page).toContain('action="/smartconnect/sign-in"');
        expect(second.headers.getSetCookie()).toEqual([]);
        expect(demo.sessions.size).toBe(sessionsBefore);

        const firstPage = await (await request('/', { headers: { cookie: firstCookie } })).text();
        expect(firstPage).toContain('Signed in as <strong>demo@example.com</strong>');
      });
    });

    describe('with an empty field', () => {
      it('answers 400 without asking SmartConnect', async () => {
        const response = await signIn(SMARTCONNECT_DEMO_USER.username, '');
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Enter a username and a password.');
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
      const before = demo.sessions.size;
      smartconnect.setPassword(SMARTCONNECT_DEMO_USER.username, 'changed-elsewhere');
      try {
        const page = await (await request('/', { headers: { cookie } })).text();
        expect(page).toContain('SmartConnect no longer accepts this sign-in');
        expect(page).toContain('action="/smartconnect/sign-in"');
        expect(demo.sessions.size).toBe(before - 1);
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
      const before = demo.sessions.size;
      const response = await request('/smartconnect/sign-out', { method: 'POST', headers: { cookie, origin: ORIGIN } });
      expect(response.status).toBe(303);
      expect(sessionCookie(response)).toMatch(/^grantkit_demo_session=;/);
      expect(demo.sessions.size).toBe(before - 1);
      const page = await (await request('/', { headers: { cookie } })).text();
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
      expect(logLines[1]).toMatch(/^POST \/smartconnect\/sign-in 401 \d+ms$/);
      // A refusal is grantkit's, explained on the page: no "unexpected error" line.
      expect(logLines).toHaveLength(2);
      expect(logLines.join('\n')).not.toMatch(/secret-in-query|wrong-password-in-body|access_token/);
    });
  });
});
