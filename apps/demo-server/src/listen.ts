import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** A fetch handler listening on a loopback (or chosen) address. */
export interface Listening {
  /** The base URL, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  url: string;
  /** Stops accepting connections, ends idle keep-alive ones, and resolves when the server is down. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Serves `fetch` with `@hono/node-server` on `host:port` (0 picks a free port). */
export async function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
): Promise<Listening> {
  // Keep Node's own Request/Response: the mocks and grantkit's clients run in this process too.
  const server = createAdaptorServer({ fetch, hostname: host, port, overrideGlobalObjects: false });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const http = server as import('node:http').Server;
  return {
    url: `http://${urlHost(host)}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // In-flight requests get a short grace period; idle keep-alive sockets go at once.
        const force = setTimeout(() => http.closeAllConnections(), 2_000).unref();
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        http.closeIdleConnections();
      }),
  };
}
