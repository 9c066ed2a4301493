import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackCss, callbackHtml, callbackScript, securityHeaders } from './callback-page.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** What {@link startLoopbackCallback} does with the fragment the browser posts back. */
export interface LoopbackCallbackOptions<T> {
  /** Validates the callback URL (`http://127.0.0.1:<port>/callback#…`). */
  handle: (callbackUrl: string) => Promise<T>;
  /**
   * Whether a failure of `handle` ends the sign-in (it came from the real
   * authorization, such as a denial). Any other failure is answered 400 and the
   * listener keeps waiting, so no other program can end or take over the sign-in.
   */
  isFinal: (error: unknown) => boolean;
  /** What the browser tab says once `handle` succeeded. */
  successMessage: (value: T) => string;
  /** What the browser tab says when `handle` failed for good. */
  failureMessage: (error: unknown) => string;
}

/** A one-shot listener on `http://127.0.0.1:<free port>`. */
export interface LoopbackCallback<T> {
  /** The `redirect_uri` to send to the provider: `http://127.0.0.1:<port>/callback`. */
  readonly redirectUri: string;
  /** `http://127.0.0.1:<port>/start`, which redirects once to the address given to {@link LoopbackCallback.startAt}. */
  readonly startUrl: string;
  /**
   * Arms `/start` with the authorization address, so that the browser can be
   * opened on `startUrl`: the state then never appears on a command line,
   * where every local user can read it.
   */
  startAt(authorizationUrl: string): void;
  /** Settles with the outcome of the sign-in: `handle`'s result, its final error, or a reused `/start`. */
  readonly outcome: Promise<T>;
  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

type Answer = { status: number; type: string; body: string; headers?: Record<string, string> };

const text = (status: number, body: string): Answer => ({ status, type: 'text/plain; charset=utf-8', body });
const json = (status: number, ok: boolean, message: string): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify({ ok, message }),
});

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    ...securityHeaders,
    ...answer.headers,
    'content-type': answer.type,
    'content-length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
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

/** The path of a request line, or `undefined` when it is not one this listener could have sent to a browser. */
function pathOf(requestUrl: string | undefined): string | undefined {
  if (requestUrl === undefined || !requestUrl.startsWith('/')) return undefined;
  try {
    return new URL(requestUrl, 'http://127.0.0.1').pathname;
  } catch {
    return undefined;
  }
}

/**
 * Starts the loopback redirect listener of a native app (RFC 8252 §7.3) on
 * 127.0.0.1 and a free port. `/start` redirects the browser to the provider,
 * once; the browser comes back to `/callback`, whose page (its script a separate
 * file, so the CSP forbids inline script) posts the fragment back. Each post is
 * handed to `handle` as the full callback URL; only a success or a final
 * failure settles the outcome. Anything else (another Host, another origin, a
 * malformed request, a post that fails validation) gets a 4xx answer and
 * changes nothing.
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
  let settled = false;
  let origin = '';
  let authorizationUrl: string | undefined;
  let started = false;
  // Posts are validated one at a time, so that a success settles before the next post is looked at.
  let queue = Promise.resolve();

  const finish = (result: { value: T } | { error: unknown }) => {
    if (settled) return;
    settled = true;
    if ('value' in result) settle?.resolve(result.value);
    else settle?.reject(result.error);
  };

  const start = (): Answer => {
    if (authorizationUrl === undefined) return text(404, 'Not found.\n');
    if (started) {
      // Whoever came first has the state: this sign-in can no longer be trusted.
      finish({
        error: new CliError(
          'start_reused',
          ExitCode.stateMismatch,
          'The sign-in address was opened twice, so another program on this computer may be trying to take over the sign-in. Nothing was saved; run the login again.',
        ),
      });
      return text(410, 'This sign-in address was already used. Return to the terminal.\n');
    }
    started = true;
    return { ...text(302, 'Redirecting to the provider.\n'), headers: { location: authorizationUrl } };
  };

  const receive = async (req: IncomingMessage): Promise<Answer> => {
    const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
    const isJson = (req.headers['content-type'] ?? '').split(';')[0]?.trim() === 'application/json';
    if (!sameOrigin || !isJson || req.headers['sec-fetch-site'] === 'cross-site') {
      return json(403, false, 'Only the callback page of this listener may post here.');
    }
    const fragment = fragmentOf(await readBody(req).catch(() => undefined));
    if (fragment === undefined) return json(400, false, 'Send {"fragment": "…"} with the authorization response.');
    const validate = async (): Promise<Answer> => {
      if (settled) return json(410, false, 'This sign-in is already over. Return to the terminal.');
      try {
        const value = await options.handle(`${origin}/callback#${fragment}`);
        finish({ value });
        return json(200, true, options.successMessage(value));
      } catch (error) {
        if (!options.isFinal(error)) return json(400, false, 'This is not the answer to this sign-in.');
        finish({ error });
        return json(200, false, `${options.failureMessage(error)} Return to the terminal.`);
      }
    };
    const answer = queue.then(validate);
    queue = answer.then(() => undefined);
    return answer;
  };

  const route = async (req: IncomingMessage): Promise<Answer> => {
    if (req.headers.host !== new URL(origin).host) return text(421, 'This listener only answers to its own address.\n');
    const path = pathOf(req.url);
    if (path === undefined) return text(400, 'Bad request.\n');
    if (req.method === 'GET' && path === '/start') return start();
    if (req.method === 'GET' && path === '/callback')
      return { ...text(200, callbackHtml), type: 'text/html; charset=utf-8' };
    if (req.method === 'GET' && path === '/callback.js') {
      return { ...text(200, callbackScript), type: 'text/javascript; charset=utf-8' };
    }
    if (req.method === 'GET' && path === '/callback.css')
      return { ...text(200, callbackCss), type: 'text/css; charset=utf-8' };
    if (req.method === 'POST' && path === '/callback') return receive(req);
    return text(404, 'Not found.\n');
  };

  const server = createServer((req, res) => {
    route(req).then(
      (answer) => send(res, answer),
      () => {
        // Nothing a request sends may end the sign-in: whatever went wrong, this request alone fails.
        if (res.headersSent) res.destroy();
        else send(res, text(500, 'The listener could not answer this request.\n'));
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    redirectUri: `${origin}/callback`,
    startUrl: `${origin}/start`,
    startAt(url) {
      authorizationUrl = url;
    },
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
