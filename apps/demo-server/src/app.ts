import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { SmartConnectSettings, SmithCartSettings } from './config.js';
import { type HomePageModel, homePage, type SmartConnectPanel } from './home-page.js';
import { type LogLine, requestLogger } from './request-logger.js';
import { securityHeaders } from './security-headers.js';
import { SessionStore, type SessionStoreOptions } from './session-store.js';
import {
  logUnexpectedError,
  SESSION_COOKIE,
  type SmartConnectSession,
  sessionPanel,
  smartconnectRoutes,
} from './smartconnect-routes.js';
import { staticFile } from './static-files.js';

/** Options of {@link createApp}. */
export interface DemoAppOptions {
  smartconnect: SmartConnectSettings;
  /** `baseUrl` is where the browser reaches SmithCart. */
  smithcart: SmithCartSettings;
  /** The folder with the browser bundle, `callback.html` and `app.css`. */
  publicDir: string;
  /** Demo sign-ins to show on the page (embedded mocks only). */
  demo?: {
    smartconnectUser?: { username: string; password: string } | undefined;
    smithcartUserName?: string | undefined;
  };
  log?: LogLine;
  sessions?: SessionStoreOptions;
  /** A `fetch` for the server's calls to SmartConnect. Default: the global one. */
  fetch?: typeof fetch;
}

/** The demo app and its session store. */
export interface DemoApp {
  app: Hono;
  sessions: SessionStore<SmartConnectSession>;
}

/**
 * The reference app as a Hono app: the home page with both panels, the
 * SmartConnect sign-in routes, the SmithCart callback page and the static
 * browser bundle, behind a request logger and strict security headers.
 */
export function createApp(options: DemoAppOptions): DemoApp {
  const sessions = new SessionStore<SmartConnectSession>(options.sessions, (session) => {
    void session.client.signOut();
  });
  const app = new Hono();
  const smithcartOrigin = new URL(options.smithcart.baseUrl).origin;
  const log = options.log ?? console.log;

  app.use(requestLogger(log));
  app.use(securityHeaders({ connectOrigins: [smithcartOrigin] }));
  app.use(csrf());

  const providers = new Set([options.smartconnect.provider, options.smithcart.provider]);
  const render = async (panel: SmartConnectPanel, status: 200 | 400 | 401 | 502) => {
    const model: HomePageModel = {
      smartconnect: panel,
      smartconnectDemoUser: options.demo?.smartconnectUser,
      smithcart: {
        baseUrl: options.smithcart.baseUrl,
        clientId: options.smithcart.clientId,
        demoUserName: options.demo?.smithcartUserName,
      },
      providers: providers.size === 2 ? 'mixed' : options.smartconnect.provider,
    };
    return new Response(String(await homePage(model)), {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  };

  app.get('/', async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = sessions.get(id);
    if (!session) return render({ signedIn: false }, 200);
    const { panel, ended } = await sessionPanel(session, options.smartconnect.samplePath, (error) =>
      logUnexpectedError(log, 'GET /', error),
    );
    if (ended) sessions.delete(id);
    return render(panel, 200);
  });

  app.route(
    '/smartconnect',
    smartconnectRoutes({ settings: options.smartconnect, sessions, render, log, fetch: options.fetch }),
  );
  app.get('/smithcart/callback.html', staticFile(options.publicDir, 'callback.html'));
  app.get('/static/:file', staticFile(options.publicDir));
  app.get('/healthz', (c) => c.text('ok'));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // The name only: a message from an unknown library could quote a credential.
    log(`Internal error in ${c.req.method} ${new URL(c.req.url).pathname}: ${error.name}`);
    return c.text('Internal error; see the server log.', 500);
  });

  return { app, sessions };
}
