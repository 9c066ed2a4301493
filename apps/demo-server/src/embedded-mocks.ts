import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { createMockSmithCart, SMITHCART_DEMO_CLIENT, SMITHCART_DEMO_USER } from '@grantkit/smithcart/testing';
import { Hono } from 'hono';
import { type Listening, listen } from './listen.js';
import { type LogLine, requestLogger } from './request-logger.js';

/** Both mock providers, each on its own loopback port, as the real hosts would be. */
export interface EmbeddedMocks {
  smartconnect: { url: string; mock: ReturnType<typeof createMockSmartConnect> };
  smithcart: { url: string; mock: ReturnType<typeof createMockSmithCart> };
  close(): Promise<void>;
}

/** Options of {@link startEmbeddedMocks}. */
export interface EmbeddedMocksOptions {
  /** The demo's SmithCart callback URLs (one per host name it answers to), registered for the demo client. */
  smithcartRedirectUris: readonly string[];
  log: LogLine;
}

// The mocks hand out tokens for a fixed demo password: they never leave this machine, whatever HOST says.
const MOCK_HOST = '127.0.0.1';

// Added only where the mock set none, so that its own policies (the consent page's form-action) stay.
const BASELINE_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** Logs each request by path only, and adds the baseline security headers the mock left out. */
function served(handler: (request: Request) => Promise<Response>, log: LogLine, label: string) {
  const app = new Hono();
  app.use(requestLogger(log, label));
  app.all('*', async (c) => {
    const response = await handler(c.req.raw);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(BASELINE_HEADERS)) if (!headers.has(name)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
  return app.fetch;
}

/**
 * Serves the mocks from `@grantkit/smartconnect/testing` and
 * `@grantkit/smithcart/testing` on free ports of 127.0.0.1. The demo app then
 * talks to them over HTTP exactly as it would to the real providers.
 */
export async function startEmbeddedMocks(options: EmbeddedMocksOptions): Promise<EmbeddedMocks> {
  const smartconnect = createMockSmartConnect({ includeExpiresIn: true });
  const smithcart = createMockSmithCart({
    pageSize: 10,
    clients: [
      {
        ...SMITHCART_DEMO_CLIENT,
        redirectUris: [...SMITHCART_DEMO_CLIENT.redirectUris, ...options.smithcartRedirectUris],
      },
    ],
  });
  const servers: Listening[] = [];
  try {
    servers.push(await listen(served(smartconnect, options.log, 'smartconnect mock'), MOCK_HOST, 0));
    servers.push(await listen(served(smithcart, options.log, 'smithcart mock'), MOCK_HOST, 0));
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  const [smartconnectServer, smithcartServer] = servers as [Listening, Listening];
  return {
    smartconnect: { url: smartconnectServer.url, mock: smartconnect },
    smithcart: { url: smithcartServer.url, mock: smithcart },
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

/** The demo sign-ins of the mocks, to print at start and show on the page. */
export const DEMO_ACCOUNTS = {
  smartconnectUser: { username: SMARTCONNECT_DEMO_USER.username, password: SMARTCONNECT_DEMO_USER.password },
  smartconnectClient: {
    clientId: SMARTCONNECT_DEMO_CLIENT.clientId,
    clientSecret: SMARTCONNECT_DEMO_CLIENT.clientSecret,
  },
  smithcartClientId: SMITHCART_DEMO_CLIENT.clientId,
  smithcartUserName: SMITHCART_DEMO_USER.name,
} as const;
