import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackCss, callbackHtml, callbackScript, securityHeaders } from './callback-page.js';
import { reportError } from './error-report.js';

/** What {@link startLoopbackCallback} does with the fragment the browser posts back. */
export interface LoopbackCallbackOptions<T> {
  /** Validates the callback URL (`http://127.0.0.1:<port>/callback#…`); its error ends the sign-in. */
  handle: (callbackUrl: string) => Promise<T>;
  /** What the browser tab says once `handle` succeeded. */
  successMessage: (value: T) => string;
}

/** A one-shot listener on `http://127.0.0.1:<free port>/callback`. */
export interface LoopbackCallback<T> {
  /** The `redirect_uri` to send to the provider. */
  readonly redirectUri: string;
  /** Settles with the first callback's outcome: `handle`'s result, or its error. */
  readonly outcome: Promise<T>;
  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...securityHeaders, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: { ok: boolean; message: string }): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function fragmentOf(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    const fragment =
      typeof parsed === 'object' && parsed !== null ? (parsed as { fragment?: unknown }).fragment : undefined;
    return typeof fragment === 'string' && fragment !== '' ? fragment : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the loopback redirect listener of a native app (RFC 8252 §7.3) on
 * 127.0.0.1 and a free port. The browser lands on `/callback`, whose page
 * (its script a separate file, so the CSP forbids inline script) posts the
 * fragment back; the first such post is handed to `handle` as the full callback URL, and the listener
 * answers every later one with 410. Requests for another host name (DNS
 * rebinding) or from another origin are refused without ending the sign-in.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export async function startLoopbackCallback<T>(options: LoopbackCallbackOptions<T>): Promise<LoopbackCallback<T>> {
  let settle: { resolve: (value: T) => void; reject: (error: unknown) => void } | undefined;
  const outcome = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The command awaits `outcome` later; until then a rejection must not count as unhandled.
  outcome.catch(() => undefined);
  let handled = false;
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host) {
      send(res, 421, 'text/plain; charset=utf-8', 'This listener only answers to its own address.\n');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/callback') {
      send(res, 200, 'text/html; charset=utf-8', callbackHtml);
    } else if (req.method === 'GET' && url.pathname === '/callback.js') {
      send(res, 200, 'text/javascript; charset=utf-8', callbackScript);
    } else if (req.method === 'GET' && url.pathname === '/callback.css') {
      send(res, 200, 'text/css; charset=utf-8', callbackCss);
    } else if (req.method === 'POST' && url.pathname === '/callback') {
      void receive(req, res);
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
    }
  });

  const receive = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
    const isJson = (req.headers['content-type'] ?? '').split(';')[0]?.trim() === 'application/json';
    if (!sameOrigin || !isJson || req.headers['sec-fetch-site'] === 'cross-site') {
      sendJson(res, 403, { ok: false, message: 'Only the callback page of this listener may post here.' });
      return;
    }
    const fragment = fragmentOf(await readBody(req).catch(() => undefined));
    if (fragment === undefined) {
      sendJson(res, 400, { ok: false, message: 'Send {"fragment": "…"} with the authorization response.' });
      return;
    }
    if (handled) {
      sendJson(res, 410, { ok: false, message: 'This sign-in is already complete. Return to the terminal.' });
      return;
    }
    handled = true;
    try {
      const value = await options.handle(`${origin}/callback#${fragment}`);
      sendJson(res, 200, { ok: true, message: options.successMessage(value) });
      settle?.resolve(value);
    } catch (error) {
      sendJson(res, 200, { ok: false, message: `${reportError(error).message} Return to the terminal.` });
      settle?.reject(error);
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    redirectUri: `${origin}/callback`,
    outcome,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A request still in flight gets a moment to finish its answer, then its connection is cut.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      return closing;
    },
  };
}
