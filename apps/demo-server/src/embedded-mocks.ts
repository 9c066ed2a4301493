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
  /** The demo's SmithCart callback page, registered for the demo client. */
  smithcartRedirectUri: string;
  host: string;
  log: LogLine;
}

/** Logs each request by path only, and keeps the mock's answer (headers included) as it is. */
function logged(handler: (request: Request) => Promise<Response>, log: LogLine, label: string) {
  const app = new Hono();
  app.use(requestLogger(log, label));
  app.all('*', (c) => handler(c.req.raw));
  return app.fetch;
}

/**
 * Serves the mocks from `@grantkit/smartconnect/testing` and
 * `@grantkit/smithcart/testing` on free ports of `host`. The demo app then
 * talks to them over HTTP exactly as it would to the real providers.
 */
export async function startEmbeddedMocks(options: EmbeddedMocksOptions): Promise<EmbeddedMocks> {
  const smartconnect = createMockSmartConnect({ includeExpiresIn: true });
  const smithcart = createMockSmithCart({
    pageSize: 10,
    clients: [
      {
        ...SMITHCART_DEMO_CLIENT,
        redirectUris: [...SMITHCART_DEMO_CLIENT.redirectUris, options.smithcartRedirectUri],
      },
    ],
  });
  const servers: Listening[] = [];
  try {
    servers.push(await listen(logged(smartconnect, options.log, 'smartconnect mock'), options.host, 0));
    servers.push(await listen(logged(smithcart, options.log, 'smithcart mock'), options.host, 0));
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
