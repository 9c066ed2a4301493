import { createSmartConnectClient } from '@grantkit/smartconnect';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { clientRequest } from './client-request.js';
import { LOOPBACK_HOST_NAMES, type SmartConnectSettings, type SmithCartSettings } from './config.js';
import { type HomePageModel, homePage, type SmartConnectPanel } from './home-page.js';
import { hostCheck } from './host-check.js';
import { RateLimit } from './rate-limit.js';
import { type LogLine, requestLogger } from './request-logger.js';
import { securityHeaders } from './security-headers.js';
import { MemorySessionStore, type SessionStore, type SessionStoreOptions } from './session-store.js';
import { SessionTimelines } from './session-timelines.js';
import {
  cookieName,
  type Flash,
  logUnexpectedError,
  type SessionBackend,
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
  /** The folder with the browser bundle, `app.css` and `favicon.ico`. */
  publicDir: string;
  /** Demo sign-ins to show on the page (embedded mocks only). */
  demo?: {
    smartconnectUser?: { username: string; password: string } | undefined;
    smithcartUserName?: string | undefined;
  };
  log?: LogLine;
  /** The host names the app answers to. Default: loopback (`127.0.0.1`, `localhost`, `[::1]`). */
  allowedHosts?: readonly string[];
  /** Believe `X-Forwarded-Proto` and `X-Forwarded-For` from a TLS-terminating proxy. Default `false`. */
  trustProxy?: boolean;
  /** The caps of the default, in-memory sessions. */
  sessions?: SessionStoreOptions;
  /** Where sessions live. Default: this process's memory. */
  backend?: SessionBackend;
  /** A `fetch` for the server's calls to SmartConnect. Default: the global one. */
  fetch?: typeof fetch;
}

/**
 * Sessions in this process's memory, each with its own SmartConnect client
 * and `MemoryTokenStore`: a restart signs everybody out.
 */
function memorySessionBackend(options: DemoAppOptions): SessionBackend {
  const { smartconnect } = options;
  return {
    sessions: new MemorySessionStore<SmartConnectSession>(options.sessions, (session) => {
      void session.client.signOut();
    }),
    flashes: new MemorySessionStore<Flash>({ idleTimeoutMs: 60_000, maxSessionsPerUser: 1 }),
    openSession: (username, password) => ({
      username,
      client: createSmartConnectClient({
        ...smartconnect.target,
        credentials: { username, password, clientId: smartconnect.clientId, clientSecret: smartconnect.clientSecret },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    }),
  };
}

/** The demo app and its session store. */
export interface DemoApp {
  app: Hono;
  sessions: SessionStore<SmartConnectSession>;
  /** The token timeline of each session. */
  timelines: SessionTimelines;
  /** Ends the live timeline streams and stops listening to grantkit's events. */
  close(): void;
}

/**
 * The reference app as a Hono app: the home page with both panels (also
 * served as SmithCart's callback URL), the SmartConnect sign-in routes and the
 * static browser bundle, behind a request logger, strict security headers, a
 * `Host` check and a CSRF check.
 */
export function createApp(options: DemoAppOptions): DemoApp {
  const backend = options.backend ?? memorySessionBackend(options);
  const { sessions, flashes } = backend;
  const app = new Hono();
  const smithcartOrigin = new URL(options.smithcart.baseUrl).origin;
  const log = options.log ?? console.log;
  const trustProxy = options.trustProxy ?? false;
  const timelines = new SessionTimelines({ maxSessions: options.sessions?.maxSessions ?? 1_000 });

  app.use(requestLogger(log));
  app.use(securityHeaders({ connectOrigins: [smithcartOrigin] }));
  app.use(hostCheck(options.allowedHosts ?? LOOPBACK_HOST_NAMES));
  app.use(csrf({ origin: (origin, c) => origin === clientRequest(c, trustProxy).origin }));

  const providers = new Set([options.smartconnect.provider, options.smithcart.provider]);
  const render = async (c: Context, panel: SmartConnectPanel, status: 200 | 429 | 503, notice?: string) => {
    const model: HomePageModel = {
      smartconnect: panel,
      notice,
      smartconnectDemoUser: options.demo?.smartconnectUser,
      smithcart: {
        baseUrl: options.smithcart.baseUrl,
        clientId: options.smithcart.clientId,
        demoUserName: options.demo?.smithcartUserName,
      },
      providers: providers.size === 2 ? 'mixed' : options.smartconnect.provider,
    };
    return c.html(String(await homePage(model)), status);
  };

  const home = async (c: Context) => {
    const { secure } = clientRequest(c, trustProxy);
    const flashId = getCookie(c, cookieName('flash', secure));
    const flash = await flashes.get(flashId);
    if (flashId !== undefined) {
      await flashes.delete(flashId);
      deleteCookie(c, cookieName('flash', secure), { path: '/', secure });
    }
    const id = getCookie(c, cookieName('session', secure));
    const session = await sessions.get(id);
    if (!session || id === undefined) {
      return render(c, { signedIn: false, username: flash?.username, error: flash?.error }, 200, flash?.notice);
    }
    const timeline = timelines.of(id);
    const { panel, ended } = await timelines.run(timeline, () =>
      sessionPanel(
        session,
        options.smartconnect.samplePath,
        (error) => logUnexpectedError(log, `GET ${c.req.path}`, error),
        timeline,
      ),
    );
    if (ended) {
      await sessions.delete(id);
      timelines.drop(id);
    }
    return render(c, panel, 200, flash?.notice);
  };

  app.get('/', home);
  // SmithCart's redirect URI is the home page itself: its script reads the token from the fragment, keeps it in memory only.
  app.get('/smithcart/callback.html', home);
  app.route(
    '/smartconnect',
    smartconnectRoutes({
      ...backend,
      // Sign-in attempts per client address: 10 a minute.
      signInLimit: new RateLimit(),
      trustProxy,
      render,
      log,
      timelines,
      samplePath: options.smartconnect.samplePath,
    }),
  );
  app.get('/favicon.ico', staticFile(options.publicDir, 'favicon.ico'));
  app.get('/static/:file', staticFile(options.publicDir));
  app.get('/healthz', (c) => c.text('ok'));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // The name only: a message from an unknown library could quote a credential.
    log(`Internal error in ${c.req.method} ${new URL(c.req.url).pathname}: ${error.name}`);
    return c.text('Internal error; see the server log.', 500);
  });

  return { app, sessions, timelines, close: () => timelines.close() };
}
