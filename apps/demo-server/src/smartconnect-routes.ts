import { isGrantKitError } from '@grantkit/core';
import type { SmartConnectClient } from '@grantkit/smartconnect';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { clientRequest } from './client-request.js';
import { errorSummary } from './error-summary.js';
import type { SignedInPanel, SmartConnectPanel } from './home-page.js';
import type { RateLimit } from './rate-limit.js';
import type { LogLine } from './request-logger.js';
import type { SessionStore } from './session-store.js';
import type { SessionTimelines } from './session-timelines.js';
import { timelineStream } from './timeline-stream.js';
import type { TokenTimeline } from './token-timeline.js';

/** Live timeline streams one session may hold open at once. */
export const MAX_LIVE_STREAMS = 4;

/** One signed-in browser: its own SmartConnect client, holding its own token. */
export interface SmartConnectSession {
  username: string;
  client: SmartConnectClient;
  /** What another instance needs to rebuild `client`: only sessions kept in Redis have it, sealed there. */
  shared?: { password: string; tokenScope: string } | undefined;
}

/** What the page shows once after a redirect (Post/Redirect/Get): a failed sign-in, or a sign-out. */
export interface Flash {
  username?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/**
 * The cookie names: with the `__Host-` prefix over HTTPS, so that the browser
 * takes the cookie only from this host, with `Secure` and `Path=/`.
 */
export function cookieName(base: 'session' | 'flash', secure: boolean): string {
  return `${secure ? '__Host-' : ''}grantkit_demo_${base}`;
}

/** Where sessions live: this process's memory (the default), or Redis for several instances. */
export interface SessionBackend {
  sessions: SessionStore<SmartConnectSession>;
  /** One-shot messages for the page after a redirect, keyed by client address. */
  flashes: SessionStore<Flash>;
  /** The session of a new sign-in, whose client has not sent anything yet. */
  openSession(username: string, password: string): SmartConnectSession;
}

/** What the SmartConnect routes need. */
export interface SmartConnectRoutesOptions extends SessionBackend {
  signInLimit: RateLimit;
  trustProxy: boolean;
  /** Renders the home page with this panel state and HTTP status. */
  render: (c: Context, panel: SmartConnectPanel, status: 200 | 429 | 503) => Response | Promise<Response>;
  /** Receives one secret-free line per unexpected failure. */
  log: LogLine;
  /** The token timeline of each session. */
  timelines: SessionTimelines;
  /** The API path that `POST /smartconnect/call` calls. */
  samplePath: string;
}

/**
 * Logs a failure that is not grantkit's, which the page can only point to the
 * server log for: the route and {@link errorSummary}, never the error itself.
 */
export function logUnexpectedError(log: LogLine, route: string, error: unknown): void {
  if (!isGrantKitError(error)) log(`Unexpected error in ${route}: ${errorSummary(error)}`);
}

/** The message shown for a failed sign-in. Grantkit errors carry no secret. */
function signInFailure(error: unknown): string {
  if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_grant') {
    return 'SmartConnect refused this username and password. Check them and try again.';
  }
  if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_client') {
    return 'SmartConnect refused the application registration: check SMARTCONNECT_CLIENT_ID and SMARTCONNECT_CLIENT_SECRET.';
  }
  if (isGrantKitError(error, 'network_error') || isGrantKitError(error, 'timeout')) {
    return 'SmartConnect could not be reached. Check the network and the region, then retry.';
  }
  if (isGrantKitError(error)) return error.message;
  return 'Signing in failed unexpectedly; see the server log.';
}

/** The panel of a session, and whether SmartConnect ended it. */
export interface SessionPanel {
  panel: SmartConnectPanel;
  /** SmartConnect refused the stored sign-in (a changed password, a revoked registration). */
  ended: boolean;
}

function failureText(error: unknown): string {
  return isGrantKitError(error) ? error.message : 'The call failed unexpectedly; see the server log.';
}

const REFUSED_SIGN_IN = 'SmartConnect no longer accepts this sign-in (was the password changed?). Sign in again.';

/** One call to the sample API, and whether SmartConnect refused the stored sign-in (which ends the session). */
interface SampleCall {
  sample: SignedInPanel['sample'];
  ended: boolean;
}

/** Calls the sample API for `session`; `onUnexpected` gets each failure that is not grantkit's, for the log. */
async function callSample(
  session: SmartConnectSession,
  samplePath: string,
  onUnexpected: (error: unknown) => void,
): Promise<SampleCall> {
  try {
    return { ended: false, sample: { ok: true, body: await session.client.api.get(samplePath).json() } };
  } catch (error) {
    if (isGrantKitError(error, 'oauth_error')) return { ended: true, sample: { ok: false, error: REFUSED_SIGN_IN } };
    onUnexpected(error);
    return { ended: false, sample: { ok: false, error: failureText(error) } };
  }
}

/**
 * The panel of a signed-in session: the token's redacted summary, one call
 * to the sample API, and the session's token timeline after both. A refused
 * sign-in ends the session; a network failure does not. `onUnexpected` gets
 * each failure that is not grantkit's, for the log.
 */
export async function sessionPanel(
  session: SmartConnectSession,
  samplePath: string,
  onUnexpected: (error: unknown) => void,
  timeline: TokenTimeline,
): Promise<SessionPanel> {
  const ended: SessionPanel = {
    ended: true,
    panel: { signedIn: false, username: session.username, error: REFUSED_SIGN_IN },
  };
  let token: SignedInPanel['token'];
  try {
    const current = await session.client.getToken();
    token = { scope: String(current.scope), expiresAt: current.expiresAt };
  } catch (error) {
    if (isGrantKitError(error, 'oauth_error')) return ended;
    onUnexpected(error);
    token = undefined;
  }
  const call = await callSample(session, samplePath, onUnexpected);
  if (call.ended) return ended;
  return {
    ended: false,
    panel: {
      signedIn: true,
      username: session.username,
      token,
      samplePath,
      sample: call.sample,
      timeline: [...timeline.entries],
    },
  };
}

/** Sets a cookie only this site's pages send back: HttpOnly, SameSite=Lax, `__Host-` over HTTPS. */
function setSiteCookie(c: Context, base: 'session' | 'flash', secure: boolean, value: string, maxAge?: number) {
  setCookie(c, cookieName(base, secure), value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

/**
 * `POST /smartconnect/sign-in` and `POST /smartconnect/sign-out`. The password
 * grant runs here, on the server: the client secret never reaches the
 * browser, which only holds a random session id in an HttpOnly cookie. Both
 * answer with a redirect home (Post/Redirect/Get), so a reload never posts
 * again; what the page should say travels in a one-shot flash. Only a refusal
 * for load answers at once: 429 past the rate limit, 503 when the store is full.
 */
export function smartconnectRoutes(options: SmartConnectRoutesOptions): Hono {
  const { sessions, flashes, render, log, timelines } = options;
  const routes = new Hono();

  /** Leaves `flash` for the next page. */
  const leaveFlash = async (c: Context, flash: Flash) => {
    const client = clientRequest(c, options.trustProxy);
    const id = await flashes.create(flash, client.address);
    if (id !== undefined) setSiteCookie(c, 'flash', client.secure, id, 60);
  };

  const redirectHome = async (c: Context, flash?: Flash) => {
    if (flash) await leaveFlash(c, flash);
    return c.redirect('/', 303);
  };

  routes.post('/sign-in', bodyLimit({ maxSize: 8 * 1024 }), async (c) => {
    const client = clientRequest(c, options.trustProxy);
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    if (!username || !password) return redirectHome(c, { username, error: 'Enter a username and a password.' });
    const retryAfter = options.signInLimit.take(client.address);
    if (retryAfter > 0) {
      c.header('retry-after', String(retryAfter));
      const error = `Too many sign-in attempts from your address. Wait ${retryAfter} s, then try again.`;
      return render(c, { signedIn: false, username, error }, 429);
    }
    const session = options.openSession(username, password);
    const smartconnect = session.client;
    const timeline = timelines.create();
    try {
      await timelines.run(timeline, () => smartconnect.getToken());
    } catch (error) {
      logUnexpectedError(log, 'POST /smartconnect/sign-in', error);
      return redirectHome(c, { username, error: signInFailure(error) });
    }
    // A new id at every sign-in, so that an id planted before it (session fixation) gets nothing.
    const previous = getCookie(c, cookieName('session', client.secure));
    await sessions.delete(previous);
    timelines.drop(previous);
    const id = await sessions.create(session, username);
    if (id === undefined) {
      smartconnect.signOut().catch((error: unknown) => logUnexpectedError(log, 'POST /smartconnect/sign-in', error));
      const error = 'The demo has too many signed-in sessions right now. Try again in a few minutes.';
      return render(c, { signedIn: false, username, error }, 503);
    }
    timelines.adopt(id, timeline);
    setSiteCookie(c, 'session', client.secure, id);
    return c.redirect('/', 303);
  });

  // "Call the API again": JSON for the page's script, a redirect home (which calls it too) for a plain form.
  routes.post('/call', async (c) => {
    const { secure, origin } = clientRequest(c, options.trustProxy);
    // The CSRF check reads only form posts; this route also takes a bodiless fetch, so it checks Origin itself.
    if (c.req.header('origin') !== origin) return c.text('Forbidden', 403);
    const wantsJson = c.req.header('accept')?.includes('application/json') === true;
    const id = getCookie(c, cookieName('session', secure));
    const session = await sessions.get(id);
    if (!session || id === undefined) {
      return wantsJson ? c.json({ signedIn: false }, 401) : redirectHome(c, { notice: 'You are signed out.' });
    }
    const call = await timelines.run(timelines.of(id), () =>
      callSample(session, options.samplePath, (error) => logUnexpectedError(log, 'POST /smartconnect/call', error)),
    );
    if (call.ended) {
      await sessions.delete(id);
      timelines.drop(id);
      await leaveFlash(c, { username: session.username, error: REFUSED_SIGN_IN });
    }
    return wantsJson ? c.json({ signedIn: !call.ended, sample: call.sample }) : c.redirect('/', 303);
  });

  // The session's token timeline, live (server-sent events). 204 tells EventSource not to reconnect.
  routes.get('/timeline', async (c) => {
    const { secure } = clientRequest(c, options.trustProxy);
    const id = getCookie(c, cookieName('session', secure));
    if (id === undefined || !(await sessions.get(id))) return c.body(null, 204);
    const timeline = timelines.of(id);
    // Each stream holds a connection open: a few tabs' worth per session, and EventSource does not retry a 429.
    if (timeline.watchers >= MAX_LIVE_STREAMS) return c.body(null, 429);
    return timelineStream(c, timeline);
  });

  routes.post('/sign-out', async (c) => {
    const { secure } = clientRequest(c, options.trustProxy);
    const name = cookieName('session', secure);
    const id = getCookie(c, name);
    const signedIn = (await sessions.get(id)) !== undefined;
    await sessions.delete(id);
    timelines.drop(id);
    deleteCookie(c, name, { path: '/', secure });
    return redirectHome(c, {
      notice: signedIn
        ? 'Signed out: the server forgot your session and its SmartConnect token.'
        : 'You were already signed out.',
    });
  });

  return routes;
}
