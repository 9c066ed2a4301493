import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A fetch handler, as mock providers, Hono apps and service workers are. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A running server from {@link serveFetchHandler}. */
export interface ServedHandler {
  /** The base URL, e.g. `http://127.0.0.1:53124` (no trailing slash). */
  url: string;
  /** Stops accepting connections, closes open ones, and resolves when the server is down. */
  close(): Promise<void>;
}

function toRequest(message: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
  return new Request(new URL(message.url ?? '/', origin), {
    method: message.method ?? 'GET',
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : null,
    duplex: 'half',
  } as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that goes away must stop the body too, or an endless stream is read forever.
  const stop = () => {
    reader.cancel().catch(() => undefined);
  };
  res.once('close', stop);
  try {
    for (let chunk = await reader.read(); !chunk.done && !res.destroyed; chunk = await reader.read()) {
      res.write(chunk.value);
    }
  } finally {
    res.off('close', stop);
  }
  res.end();
}

// With Node's default backlog (511), the SYNs of a larger burst are dropped while the event loop is busy; the
// client's kernel resends them after 1 s, 3 s, 7 s, and fetch gives up at its 10 s connect timeout. The kernel
// caps this at net.core.somaxconn.
const CONNECTION_BACKLOG = 4_096;

/**
 * Serves a fetch handler on `127.0.0.1` with `node:http`, on a free port
 * unless one is given. For tests, demos and local development. The listen
 * queue holds a burst of 4,096 connections (up to `net.core.somaxconn`).
 *
 * @example
 * ```ts
 * const server = await serveFetchHandler(createMockSmartConnect());
 * // … use server.url …
 * await server.close();
 * ```
 */
export async function serveFetchHandler(
  handler: FetchHandler,
  options: { port?: number } = {},
): Promise<ServedHandler> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    Promise.resolve()
      .then(() => handler(toRequest(req, origin)))
      .then((response) => send(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error in the served handler');
      });
  });
  // Longer than any client's idle timeout, so a client never reuses a socket the server is closing at that
  // moment (a reset that fetch reports as a network failure); close() ends idle connections anyway.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: CONNECTION_BACKLOG }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
