import * as messages from '#messages';
import type { AccessToken } from '../access-token.js';
import { TOKEN_VALUE } from '../access-token.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { GrantKitError } from '../errors/grant-kit-error.js';
import { type HttpTrace, traceHttp } from '../events/publish.js';
import { redactUrl } from '../redact.js';
import { bufferedBody } from './buffered-body.js';
import { startDeadline } from './deadline.js';
import { type Exchange, networkError } from './read-response.js';
import { createRenewal, RENEWAL_PAUSE_MS } from './renewal.js';

/** A token as a transport accepts it: an {@link AccessToken} or the raw string. */
export type TokenLike = AccessToken | string;

/** The API body cap when none is set: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES: number = 10 * 1024 * 1024;
const MAX_REDIRECTS = 20;
const REMEMBERED_TOKENS = 8;

/** What {@link createTransport} needs. */
export interface TransportOptions {
  /** The API root. Every request must be on its origin; it passed `assertSecureUrl` already. */
  root: URL;
  /** The `fetch` that sends. Default: the global `fetch`, looked up per request. */
  fetch?: typeof fetch | undefined;
  /**
   * Milliseconds an exchange may take, every attempt and the body included (then `TimeoutError`). None when
   * absent or `false`: ky's `timeout` bounds the exchanges of `createBearerClient`.
   */
  timeout?: number | false | undefined;
  /**
   * A failure to connect rejects as `fetch` rejects (a `TypeError`), for a caller that classifies and
   * retries failures itself (ky). Default `false`: it rejects with `NetworkError`.
   */
  rawFailures?: boolean | undefined;
  /** Sets `Authorization: Bearer …` from it on every request. */
  getToken?: (() => TokenLike | Promise<TokenLike>) | undefined;
  /** Renews after a 401 (then the request is sent once more). */
  refreshToken?: (() => Promise<unknown>) | undefined;
  /** Secrets the requests carry besides the token (credentials in a body), scrubbed from errors. */
  secrets?: readonly string[] | undefined;
  /** Cap of a successful answer's body. Default 10 MiB; error bodies are capped at 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** The clock of the renewal pause, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Per-request settings a transport's `fetch` reads besides `RequestInit`. */
export interface TransportInit extends RequestInit {
  /** What the exchange is for, in its `grantkit:http` event. Default `'api'`. */
  purpose?: 'token' | 'api' | undefined;
  /** The token acquisition that sent this token request, in its `grantkit:http` event. */
  parentId?: number | undefined;
}

/** An authorized, origin-pinned `fetch` and what its errors need. */
export interface Transport {
  /**
   * Sends a request of the API's origin (anything else: `ConfigurationError`, nothing sent) with the
   * token, renewing once on a 401, following redirects only within the origin, and answers with the body
   * read into memory within its cap. No answer → `NetworkError`; the timeout → `TimeoutError`.
   */
  readonly fetch: (input: Request | string | URL, init?: TransportInit) => Promise<Response>;
  /** What an error about `request` may show: method, redacted URL, and every secret sent so far. */
  exchange(request: Pick<Request, 'method' | 'url'>): Exchange;
}

function discard(body: ReadableStream | null | undefined): void {
  // A stream that is already locked or consumed has nothing left to release.
  body?.cancel().catch(() => undefined);
}

function resolved(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The one transport every grantkit exchange goes through: an authorized `fetch` composed once.
 * Rules, in order: the request is on the API root's origin (so https or loopback); the token is set;
 * a 401 renews once (one renewal for concurrent 401s, none for a while after a renewed token was refused
 * too); redirects are followed only within the origin (one that leaves it is answered as it is, a 3xx);
 * the body is read into memory, API bodies up to `maxBodyBytes` and error bodies up to 1 MiB; `timeout`,
 * when set, covers all of it.
 *
 * @example
 * ```ts
 * const transport = createTransport({ root: new URL('https://api.example.com/'), getToken: () => token });
 * const response = await transport.fetch('https://api.example.com/me');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createTransport(options: TransportOptions): Transport {
  const { root, getToken, refreshToken, timeout, rawFailures, now = Date.now } = options;
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const origin = `${root.origin}/`;
  const fixedSecrets = options.secrets ?? [];
  const sentTokens: string[] = [];
  const renewal = refreshToken ? createRenewal(refreshToken, now, RENEWAL_PAUSE_MS) : undefined;

  const remember = (value: string) => {
    if (sentTokens.includes(value)) return;
    sentTokens.push(value);
    if (sentTokens.length > REMEMBERED_TOKENS) sentTokens.shift();
  };

  const headerOf = (token: TokenLike): string => {
    if (typeof token !== 'string') {
      remember(token.expose());
      return token.authorizationHeader();
    }
    if (!TOKEN_VALUE.test(token)) {
      throw new ConfigurationError(messages.tokenNotToken);
    }
    remember(token);
    return `Bearer ${token}`;
  };

  // A token source that answers synchronously (a cached token) costs no extra turn of the event loop.
  const authorization = (): string | Promise<string> => {
    const token = (getToken as () => TokenLike | Promise<TokenLike>)();
    return typeof (token as { then?: unknown }).then === 'function'
      ? (token as Promise<TokenLike>).then(headerOf)
      : headerOf(token as TokenLike);
  };

  const exchange = (request: Pick<Request, 'method' | 'url'>): Exchange => ({
    method: request.method,
    url: redactUrl(request.url),
    secrets: [...fixedSecrets, ...sentTokens],
  });

  const attempt = async (request: Request, http: HttpTrace | undefined): Promise<Response> => {
    http?.sent();
    try {
      return await send(request);
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      if (error instanceof GrantKitError) throw error;
      const failure = networkError(request, error);
      if (!rawFailures) throw failure;
      // The exchange's event says what the caller (ky) will report.
      http?.fail(failure);
      throw error;
    }
  };

  const assertOnOrigin = (url: string) => {
    if (url.startsWith(origin)) return;
    throw new ConfigurationError(messages.urlOffOrigin(redactUrl(url), root.origin));
  };

  const exchangeOnce = async (first: Request, http: HttpTrace | undefined): Promise<Response> => {
    let request = first;
    let header: string | undefined;
    if (getToken) {
      const pending = authorization();
      header = typeof pending === 'string' ? pending : await pending;
      request.headers.set('authorization', header);
    }
    // A body can be read once: keep a copy to resend (after a 401, or a 307/308). Most API calls have none.
    let replay = request.body === null ? undefined : request.clone();
    let response = await attempt(request, http);

    if (response.status === 401 && renewal && header !== undefined && renewal.allowed()) {
      discard(response.body);
      if (header === (await authorization())) await renewal.renew();
      header = await authorization();
      const retry = new Request(replay ?? request);
      replay = replay ? retry.clone() : undefined;
      retry.headers.set('authorization', header);
      request = retry;
      response = await attempt(request, http);
      if (response.status === 401) renewal.refusedAgain();
    }

    for (let hops = 0; isRedirect(response.status) && hops < MAX_REDIRECTS; hops += 1) {
      const location = response.headers.get('location');
      const next = location === null ? undefined : resolved(location, request.url);
      // One that leaves the origin is not followed: its answer surfaces as it is, and nothing goes there.
      if (next === undefined || !next.href.startsWith(origin)) break;
      discard(response.body);
      // As fetch does: a 303 (or a 301/302 after a POST) is followed with a GET and no body.
      const { method } = request;
      const toGet =
        (response.status === 303 && method !== 'GET' && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST');
      const source = toGet ? undefined : (replay ?? request);
      const redirected: Request = source
        ? new Request(next, source)
        : new Request(next, { method: 'GET', headers: request.headers, redirect: 'manual', signal: request.signal });
      if (!source) redirected.headers.delete('content-type');
      replay = source && replay ? redirected.clone() : undefined;
      request = redirected;
      response = await attempt(request, http);
    }
    discard(replay?.body);
    if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
    return bufferedBody(response, request, maxBodyBytes, () => exchange(request));
  };

  return {
    exchange,
    async fetch(input, init) {
      // Before anything else, the token included, is asked for or sent; and before a Request is built of a URL
      // with credentials, which would throw a TypeError that shows them.
      assertOnOrigin(input instanceof Request ? input.url : String(input));
      let request = input instanceof Request ? input : new Request(input, init);
      const deadline =
        typeof timeout === 'number'
          ? startDeadline(() => `${request.method} ${redactUrl(request.url)}`, timeout, request.signal)
          : undefined;
      if (deadline || request.redirect !== 'manual') {
        request = new Request(request, { redirect: 'manual', ...(deadline ? { signal: deadline.signal } : {}) });
      }
      const http = traceHttp(init?.purpose ?? 'api', request.method, request.url, init?.parentId);
      try {
        const response = await exchangeOnce(request, http);
        http?.end(response.status);
        return response;
      } catch (error) {
        http?.fail(error);
        throw error;
      } finally {
        deadline?.clear();
      }
    },
  };
}
