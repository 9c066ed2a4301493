import { fileURLToPath } from 'node:url';
import { createApp, type DemoApp } from './app.js';
import type { DemoConfig, SmartConnectSettings, SmithCartSettings } from './config.js';
import { DEMO_ACCOUNTS, type EmbeddedMocks, startEmbeddedMocks } from './embedded-mocks.js';
import { listen } from './listen.js';
import type { LogLine } from './request-logger.js';
import { type RedisSessions, startRedisSessions } from './start-redis-sessions.js';

/** Options of {@link startDemoServer}. */
export interface StartDemoServerOptions {
  config: DemoConfig;
  /** The folder with the browser bundle. Default: `public/` beside the compiled server. */
  publicDir?: string;
  log?: LogLine;
}

/** A running demo. */
export interface DemoServer {
  /** The app's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** What the app talks to, after the embedded mocks (if any) started. */
  smartconnect: SmartConnectSettings;
  smithcart: SmithCartSettings;
  /** The embedded mocks, when the environment named no real provider. */
  mocks: EmbeddedMocks | undefined;
  demo: DemoApp;
  /** Stops the app, the mocks and the Redis connection. */
  close(): Promise<void>;
}

const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** The app's URL for this machine's browser: a wildcard address (`0.0.0.0`, `::`) is reached on loopback. */
function localUrl(listeningUrl: string): string {
  const url = new URL(listeningUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}

/**
 * Starts the app on `config.host:config.port` and, unless the environment
 * names real providers, both mock providers on free loopback ports.
 */
export async function startDemoServer(options: StartDemoServerOptions): Promise<DemoServer> {
  const { config } = options;
  const log = options.log ?? console.log;
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  // The app listens first: the mock must register its exact callback URL, port included.
  const app = await listen(
    (request) => handler?.(request) ?? new Response('Starting', { status: 503 }),
    config.host,
    config.port,
  );
  const url = localUrl(app.url);
  let mocks: EmbeddedMocks | undefined;
  let redis: RedisSessions | undefined;
  try {
    const needsMocks = config.smartconnect.provider === 'embedded' || config.smithcart.provider === 'embedded';
    const port = new URL(url).port;
    const smithcartRedirectUris = config.allowedHosts.map((name) => `http://${name}:${port}/smithcart/callback.html`);
    mocks = needsMocks ? await startEmbeddedMocks({ smithcartRedirectUris, log }) : undefined;
    const smartconnect: SmartConnectSettings =
      config.smartconnect.provider === 'embedded' && mocks
        ? { ...config.smartconnect, target: { baseUrl: mocks.smartconnect.url }, ...DEMO_ACCOUNTS.smartconnectClient }
        : config.smartconnect;
    const smithcart: SmithCartSettings =
      config.smithcart.provider === 'embedded' && mocks
        ? { ...config.smithcart, baseUrl: mocks.smithcart.url, clientId: DEMO_ACCOUNTS.smithcartClientId }
        : config.smithcart;
    redis = config.redis ? await startRedisSessions({ redis: config.redis, settings: smartconnect, log }) : undefined;
    const demo = createApp({
      smartconnect,
      smithcart,
      publicDir: options.publicDir ?? DEFAULT_PUBLIC_DIR,
      log,
      allowedHosts: config.allowedHosts,
      trustProxy: config.trustProxy,
      demo: {
        smartconnectUser: smartconnect.provider === 'embedded' ? DEMO_ACCOUNTS.smartconnectUser : undefined,
        smithcartUserName: smithcart.provider === 'embedded' ? DEMO_ACCOUNTS.smithcartUserName : undefined,
      },
      ...(redis ? { backend: redis.backend } : {}),
    });
    handler = demo.app.fetch;
    const running = mocks;
    const store = redis;
    return {
      url,
      smartconnect,
      smithcart,
      mocks,
      demo,
      close: async () => {
        // The live timeline streams first: the server waits for open responses.
        demo.close();
        await Promise.all([app.close(), running?.close()]);
        await store?.close();
      },
    };
  } catch (error) {
    await Promise.all([app.close(), mocks?.close(), redis?.close()]);
    throw error;
  }
}
