import { isGrantKitError } from '@grantkit/core';
import { createSmartConnectClient, type SmartConnectClient } from '@grantkit/smartconnect';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SmartConnectSettings } from './config.js';
import { errorSummary } from './error-summary.js';
import type { SignedInPanel, SmartConnectPanel } from './home-page.js';
import type { LogLine } from './request-logger.js';
import type { SessionStore } from './session-store.js';

/** One signed-in browser: its own SmartConnect client, holding its own token. */
export interface SmartConnectSession {
  username: string;
  client: SmartConnectClient;
}

/** The name of the session cookie. */
export const SESSION_COOKIE = 'grantkit_demo_session';

/** What the SmartConnect routes need. */
export interface SmartConnectRoutesOptions {
  settings: SmartConnectSettings;
  sessions: SessionStore<SmartConnectSession>;
  /** Renders the home page with this panel state and HTTP status. */
  render: (panel: SmartConnectPanel, status: 200 | 400 | 401 | 502) => Response | Promise<Response>;
  /** Receives one secret-free line per unexpected failure. */
  log: LogLine;
  fetch?: typeof fetch | undefined;
}

/**
 * Logs a failure that is not grantkit's, which the page can only point to the
 * server log for: the route and {@link errorSummary}, never the error itself.
 */
export function logUnexpectedError(log: LogLine, route: string, error: unknown): void {
  if (!isGrantKitError(error)) log(`Unexpected error in ${route}: ${errorSummary(error)}`);
}

/** The message shown for a failed sign-in, and its status. Grantkit errors carry no secret. */
function signInFailure(error: unknown): { status: 401 | 502; message: string } {
  if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_grant') {
    return { status: 401, message: 'SmartConnect refused this username and password. Check them and try again.' };
  }
  if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_client') {
    return {
      status: 502,
      message:
        'SmartConnect refused the application registration: check SMARTCONNECT_CLIENT_ID and SMARTCONNECT_CLIENT_SECRET.',
    };
  }
  if (isGrantKitError(error, 'network_error') || isGrantKitError(error, 'timeout')) {
    return { status: 502, message: 'SmartConnect could not be reached. Check the network and the region, then retry.' };
  }
  if (isGrantKitError(error)) return { status: 502, message: error.message };
  return { status: 502, message: 'Signing in failed unexpectedly; see the server log.' };
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

/**
 * The panel of a signed-in session: the token's redacted summary and one call
 * to the sample API. A refused sign-in ends the session; a network failure does
 * not. `onUnexpected` gets each failure that is not grantkit's, for the log.
 */
export async function sessionPanel(
  session: SmartConnectSession,
  samplePath: string,
  onUnexpected: (error: unknown) => void,
): Promise<SessionPanel> {
  const ended = (error: unknown): SessionPanel | undefined =>
    isGrantKitError(error, 'oauth_error')
      ? {
          ended: true,
          panel: {
            signedIn: false,
            username: session.username,
            error: 'SmartConnect no longer accepts this sign-in (was the password changed?). Sign in again.',
          },
        }
      : undefined;
  let token: SignedInPanel['token'];
  try {
    const current = await session.client.getToken();
    token = { summary: String(current), expiresAt: current.expiresAt };
  } catch (error) {
    const refused = ended(error);
    if (refused) return refused;
    onUnexpected(error);
    token = undefined;
  }
  let sample: SignedInPanel['sample'];
  try {
    sample = { ok: true, body: await session.client.api.get(samplePath).json() };
  } catch (error) {
    const refused = ended(error);
    if (refused) return refused;
    onUnexpected(error);
    sample = { ok: false, error: failureText(error) };
  }
  return { ended: false, panel: { signedIn: true, username: session.username, token, samplePath, sample } };
}

/**
 * `POST /smartconnect/sign-in` and `POST /smartconnect/sign-out`. The password
 * grant runs here, on the server: the client secret never reaches the
 * browser, which only holds a random session id in an HttpOnly cookie.
 */
export function smartconnectRoutes(options: SmartConnectRoutesOptions): Hono {
  const { settings, sessions, render, log } = options;
  const routes = new Hono();

  routes.post('/sign-in', bodyLimit({ maxSize: 8 * 1024 }), async (c) => {
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    if (!username || !password) {
      return render({ signedIn: false, username, error: 'Enter a username and a password.' }, 400);
    }
    const client = createSmartConnectClient({
      ...settings.target,
      credentials: { username, password, clientId: settings.clientId, clientSecret: settings.clientSecret },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    try {
      await client.getToken();
    } catch (error) {
      logUnexpectedError(log, 'POST /smartconnect/sign-in', error);
      const failure = signInFailure(error);
      return render({ signedIn: false, username, error: failure.message }, failure.status);
    }
    // A new id at every sign-in, so that an id planted before it (session fixation) gets nothing.
    sessions.delete(getCookie(c, SESSION_COOKIE));
    const id = sessions.create({ username, client });
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
    });
    return c.redirect('/', 303);
  });

  routes.post('/sign-out', (c) => {
    sessions.delete(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  return routes;
}
