import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp, type DemoApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { MAX_LIVE_STREAMS } from '../src/smartconnect-routes.js';
import { startDemoServer } from '../src/start-demo-server.js';
import type { TimelineEntry } from '../src/token-timeline.js';

const publicDir = fileURLToPath(new URL('../src/public/', import.meta.url));
const ORIGIN = 'http://127.0.0.1:3000';
const GRACE = { username: 'grace@example.com', password: 'grace-password' };

const smartconnect = createMockSmartConnect({ users: [SMARTCONNECT_DEMO_USER, GRACE], includeExpiresIn: true });
/** Every access token the provider issued, to prove that none reaches a timeline. */
const issuedTokens: string[] = [];
let provider: ServedHandler;
let demo: DemoApp;

beforeAll(async () => {
  provider = await serveFetchHandler(async (request) => {
    const response = await smartconnect(request);
    if (new URL(request.url).pathname === '/token' && response.ok) {
      issuedTokens.push(((await response.clone().json()) as { access_token: string }).access_token);
    }
    return response;
  });
  demo = createApp({
    smartconnect: {
      provider: 'embedded',
      target: { baseUrl: provider.url },
      ...SMARTCONNECT_DEMO_CLIENT,
      samplePath: 'api/v1/me',
    },
    smithcart: { provider: 'embedded', baseUrl: 'http://127.0.0.1:4999', clientId: 'Y2XPZW50Q31A' },
    publicDir,
    log: () => {},
  });
});

afterAll(async () => {
  demo.close();
  await provider.close();
});

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(demo.app.request(`${ORIGIN}${path}`, init));
}

/** Signs in and returns the session cookie (`name=value`). */
async function signIn(user: { username: string; password: string }): Promise<string> {
  const response = await request('/smartconnect/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams(user).toString(),
  });
  expect(response.status).toBe(303);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('grantkit_demo_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

/** "Call the API again" as the page's script does. */
function call(cookie: string): Promise<Response> {
  return request('/smartconnect/call', {
    method: 'POST',
    headers: {
      cookie,
      origin: ORIGIN,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: '',
  });
}

/** Reads a timeline stream message by message. */
function timelineReader(response: Response) {
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The entries of the next message. */
    async next(): Promise<TimelineEntry[]> {
      while (!buffer.includes('\n\n')) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
      const end = buffer.indexOf('\n\n');
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      expect(message).toMatch(/^event: timeline\n/);
      return JSON.parse(message.replace(/^event: timeline\ndata: /, '')) as TimelineEntry[];
    },
    /** The entries of the first message from now on for which `done` holds. */
    async until(done: (entries: TimelineEntry[]) => boolean): Promise<TimelineEntry[]> {
      for (;;) {
        const entries = await this.next();
        if (done(entries)) return entries;
      }
    },
    /** Reads on until the server ends the stream; `true` when it ended cleanly. */
    async ended(): Promise<boolean> {
      for (;;) {
        const { done } = await reader.read();
        if (done) return true;
      }
    },
    cancel: () => reader.cancel(),
  };
}

const kinds = (entries: readonly TimelineEntry[]) =>
  entries.map(({ kind, reason }) => `${kind}${reason ? `/${reason}` : ''}`);

describe('the token timeline', () => {
  afterEach(() => {
    smartconnect.setTokenDelay(0);
  });

  describe('GET /smartconnect/timeline', () => {
    it('streams the session’s token events, newest first: the sign-in’s fetch, then live each call’s cache hit', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      const stream = timelineReader(await request('/smartconnect/timeline', { headers: { cookie } }));
      const first = await stream.next();
      expect(kinds(first)).toEqual(['fetched/cold']);
      expect(first[0]?.text).toBe('Fetched a new token · no token yet');
      expect(first[0]?.durationMs).toBeGreaterThan(0);

      expect((await call(cookie)).status).toBe(200);
      expect(kinds(await stream.next())).toEqual(['cache_hit', 'fetched/cold']);
      await stream.cancel();
    });

    it('shows one session’s events only, never another session’s, even one of the same user', async () => {
      const mine = await signIn(SMARTCONNECT_DEMO_USER);
      const sameUser = await signIn(SMARTCONNECT_DEMO_USER);
      const other = await signIn(GRACE);
      const stream = timelineReader(await request('/smartconnect/timeline', { headers: { cookie: mine } }));
      expect(kinds(await stream.next())).toEqual(['fetched/cold']);

      // Calls of the other sessions, several at once, with the token endpoint slowed down so that they overlap.
      smartconnect.revokeAllTokens();
      smartconnect.setTokenDelay(50);
      await Promise.all([call(sameUser), call(other), call(sameUser), call(other)]);
      const page = await (await request('/', { headers: { cookie: other } })).text();
      expect(page).toContain('data-kind="fetched" data-reason="rejected"');

      // Then one call of mine: my timeline holds my sign-in and this call, and nothing of the others.
      await call(mine);
      const entries = await stream.until((latest) => latest[0]?.id === 5);
      expect(kinds(entries)).toEqual(['cache_hit', 'fetched/rejected', 'cache_hit', 'cache_hit', 'fetched/cold']);
      await stream.cancel();
    });

    it('ends at sign-out', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      const stream = timelineReader(await request('/smartconnect/timeline', { headers: { cookie } }));
      await stream.next();
      const ended = stream.ended();
      const signedOut = await request('/smartconnect/sign-out', {
        method: 'POST',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(signedOut.status).toBe(303);
      await expect(ended).resolves.toBe(true);
    });

    it('refuses a live stream past MAX_LIVE_STREAMS of one session with 429, and takes one again once a stream ends', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      const open = async () => request('/smartconnect/timeline', { headers: { cookie } });
      const streams = [];
      for (let i = 0; i < MAX_LIVE_STREAMS; i += 1) {
        const stream = timelineReader(await open());
        await stream.next();
        streams.push(stream);
      }
      expect((await open()).status).toBe(429);
      await streams.pop()?.cancel();
      const again = await open();
      expect(again.status).toBe(200);
      await again.body?.cancel();
      await Promise.all(streams.map((stream) => stream.cancel()));
    });

    it('answers 204, which tells EventSource not to reconnect, to a browser that is not signed in', async () => {
      const response = await request('/smartconnect/timeline', {
        headers: { cookie: 'grantkit_demo_session=not-a-session' },
      });
      expect(response.status).toBe(204);
    });

    it('holds no token, password, client secret, username or client id', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      smartconnect.revokeAllTokens();
      await call(cookie);
      smartconnect.failNextTokenRequests(10, { status: 503 });
      smartconnect.revokeAllTokens();
      await call(cookie);
      const page = await (await request('/', { headers: { cookie } })).text();
      const stream = timelineReader(await request('/smartconnect/timeline', { headers: { cookie } }));
      const text = JSON.stringify(await stream.next());
      await stream.cancel();
      expect(text).toContain('failed');
      const secrets = [
        ...issuedTokens,
        SMARTCONNECT_DEMO_USER.password,
        SMARTCONNECT_DEMO_USER.username,
        SMARTCONNECT_DEMO_CLIENT.clientSecret,
        SMARTCONNECT_DEMO_CLIENT.clientId,
      ];
      expect(issuedTokens.length).toBeGreaterThan(2);
      const timelineHtml = page.slice(page.indexOf('data-testid="smartconnect-timeline"'));
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(timelineHtml.split('</ol>')[0]).not.toContain(secret);
      }
    });
  });

  describe('with tokens that live 2 s', () => {
    it('shows the renewal before expiry that a call past half the token’s life makes', async () => {
      const shortLived = await serveFetchHandler(
        createMockSmartConnect({ tokenTtlSeconds: 2, includeExpiresIn: true, issueJwt: false }),
      );
      const app = createApp({
        smartconnect: {
          provider: 'real',
          target: { baseUrl: shortLived.url },
          ...SMARTCONNECT_DEMO_CLIENT,
          samplePath: 'api/v1/me',
        },
        smithcart: { provider: 'embedded', baseUrl: 'http://127.0.0.1:4999', clientId: 'Y2XPZW50Q31A' },
        publicDir,
        log: () => {},
      });
      try {
        const signedIn = await app.app.request(`${ORIGIN}/smartconnect/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
          body: new URLSearchParams({
            username: SMARTCONNECT_DEMO_USER.username,
            password: SMARTCONNECT_DEMO_USER.password,
          }),
        });
        const cookie = signedIn.headers.getSetCookie()[0]?.split(';')[0] as string;
        // The client renews once half the token's life is gone.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const page = await (await app.app.request(`${ORIGIN}/`, { headers: { cookie } })).text();
        expect(page).toContain('data-kind="fetched" data-reason="expiring"');
        expect(page).toContain('Fetched a new token · renewal before expiry');
      } finally {
        app.close();
        await shortLived.close();
      }
    });
  });

  describe('the home page', () => {
    it('lists the session’s events with time, what happened and duration', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      const page = await (await request('/', { headers: { cookie } })).text();
      const list = page.slice(page.indexOf('<ol class="timeline"'), page.indexOf('</ol>'));
      expect(list).toMatch(
        /<li data-id="1" data-kind="fetched" data-reason="cold"><time datetime="[-\dT:.]+Z">\d\d:\d\d:\d\d\.\d{3}<\/time> <span class="what">Fetched a new token · no token yet<\/span> <span class="duration">\d+ ms<\/span><\/li>/,
      );
      // The page's own getToken() and API call, each a cache hit.
      expect(list.match(/data-kind="cache_hit"/g)).toHaveLength(2);
    });
  });

  describe('POST /smartconnect/call', () => {
    it('answers the sample API’s JSON, and after a 401 shows the renewal in the timeline', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      smartconnect.revokeAllTokens();
      const response = await call(cookie);
      expect(await response.json()).toMatchObject({
        signedIn: true,
        sample: { ok: true, body: { displayName: 'Demo User' } },
      });
      const page = await (await request('/', { headers: { cookie } })).text();
      expect(page).toContain('Fetched a new token · renewal after a 401');
    });

    it('is refused from another origin, before calling anything', async () => {
      const cookie = await signIn(SMARTCONNECT_DEMO_USER);
      const response = await request('/smartconnect/call', {
        method: 'POST',
        headers: { cookie, origin: 'http://evil.example', accept: 'application/json' },
      });
      expect(response.status).toBe(403);
    });

    it('says signedIn: false (401) to a browser that is not signed in', async () => {
      const response = await call('grantkit_demo_session=not-a-session');
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ signedIn: false });
    });
  });
});

describe('a timeline stream on a running demo', () => {
  it('is freed when the browser goes away, and ended cleanly (not cut) by close() while a browser watches', async () => {
    const server = await startDemoServer({ config: readConfig({ PORT: '0' }), publicDir, log: () => {} });
    let stopped = false;
    try {
      const signedIn = await fetch(`${server.url}/smartconnect/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({
          username: SMARTCONNECT_DEMO_USER.username,
          password: SMARTCONNECT_DEMO_USER.password,
        }),
      });
      const cookie = signedIn.headers.getSetCookie()[0]?.split(';')[0] as string;
      const timeline = server.demo.timelines.of(cookie.replace('grantkit_demo_session=', ''));

      // A browser that leaves closes the connection (what node:http's destroy() does; undici's abort keeps it open).
      await new Promise<void>((resolve, reject) => {
        const leaving = get(`${server.url}/smartconnect/timeline`, { headers: { cookie } }, (response) => {
          response.once('data', () => {
            expect(timeline.watchers).toBe(1);
            leaving.destroy();
            resolve();
          });
        });
        leaving.once('error', reject);
      });
      while (timeline.watchers > 0) await new Promise((resolve) => setTimeout(resolve, 10));

      const second = timelineReader(await fetch(`${server.url}/smartconnect/timeline`, { headers: { cookie } }));
      await second.next();
      const ended = second.ended();
      await server.close();
      stopped = true;
      await expect(ended).resolves.toBe(true);
    } finally {
      if (!stopped) await server.close();
    }
  });
});
