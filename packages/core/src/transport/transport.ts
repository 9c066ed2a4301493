import type { AccessToken } from '../access-token.js';
import { TOKEN_VALUE } from '../access-token.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { GrantKitError } from '../errors/grant-kit-error.js';
import { NetworkError } from '../errors/network-error.js';
import { type HttpTrace, traceHttp } from '../events/publish.js';
import { redactUrl } from '../redact.js';
import { withBodyReaders } from './body-readers.js';
import { type Deadline, startDeadline } from './deadline.js';
import { createRenewal, RENEWAL_PAUSE_MS } from './renewal.js';
import { DEFAULT_ERROR_BODY_BYTES, type Exchange, stashErrorText } from './response-reader.js';

/** A token as a transport accepts it: an {@link AccessToken} or the raw string. */
export type TokenLike = AccessToken | string;

/** The API body cap when none is set: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES: number = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 20;
const REMEMBERED_TOKENS = 8;

/** What {@link createTransport} needs. */
export interface TransportOptions {
  /** The API root. Every request must be on its origin; it passed `assertSecureUrl` already. */
  root: URL;
  /** The `fetch` that sends. Default: the global `fetch`, looked up per request. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds an exchange may take, headers and body, or `false`. Default 10,000; `init.deadline` overrides. */
  timeout?: number | false | undefined;
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
  /** This exchange's deadline in ms, or `false`; default the transport's `timeout`. */
  deadline?: number | false | undefined;
  /** What the exchange is for, in its `grantkit:http` event. Default `'api'`. */
  purpose?: 'token' | 'api' | undefined;
  /** The token acquisition that sent this token request, in its `grantkit:http` event. */
  parentId?: number | undefined;
}

/** An authorized, origin-pinned `fetch` and what its errors need. */
export interface Transport {
  /**
   * Sends a request of the API's origin (anything else: `ConfigurationError`, nothing sent) with the
   * token, within the deadline, renewing once on a 401, following redirects only within the origin,
   * capping bodies. No answer → `NetworkError`; the deadline → `TimeoutError`.
   */
  readonly fetch: (input: Request | string | URL, init?: TransportInit) => Promise<Response>;
  /** What an error about `request` may show: method, redacted URL, and every secret sent so far. */
  exchange(request: Request): Exchange;
}

const failedTokenCalls = new WeakSet<object>();

/** Whether `getToken()` or `refreshToken()` threw this error (a request retry cannot fix it). */
export function isTokenFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && failedTokenCalls.has(error);
}

function tagged(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) failedTokenCalls.add(error);
  return error;
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  // By name, not instanceof: fetch's DOMException may come from another realm.
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || signal.aborted;
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
 * a deadline covers headers, body and every attempt; a 401 renews once (one renewal for concurrent
 * 401s, none for a while after a renewed token was refused too); redirects are followed only within the
 * origin (one that leaves it is answered as it is, a 3xx); error bodies are read into memory up to
 * 1 MiB and API bodies are capped.
 *
 * @example
 * ```ts
 * const transport = createTransport({ root: new URL('https://api.example.com/'), getToken: () => token });
 * const response = await transport.fetch('https://api.example.com/me');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createTransport(options: TransportOptions): Transport {
  const { root, getToken, refreshToken, now = Date.now } = options;
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const defaultTimeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const origin = `${root.origin}/`;
  const fixedSecrets = options.secrets ?? [];
  const sentTokens: string[] = [];
  const renewal = refreshToken
    ? createRenewal(
        async () => {
          try {
            return await refreshToken();
          } catch (error) {
            throw tagged(error);
          }
        },
        now,
        RENEWAL_PAUSE_MS,
      )
    : undefined;

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
      throw tagged(
        new ConfigurationError(
          'getToken() returned a string that is not a token: an access token is a non-empty string of visible ASCII characters (no spaces or line breaks).',
        ),
      );
    }
    remember(token);
    return `Bearer ${token}`;
  };

  // A token source that answers synchronously (a cached token) costs no extra turn of the event loop.
  const authorization = (): string | Promise<string> => {
    let token: TokenLike | Promise<TokenLike>;
    try {
      token = (getToken as () => TokenLike | Promise<TokenLike>)();
    } catch (error) {
      throw tagged(error);
    }
    if (typeof (token as { then?: unknown }).then !== 'function') return headerOf(token as TokenLike);
    return (token as Promise<TokenLike>).then(headerOf, (error: unknown) => {
      throw tagged(error);
    });
  };

  const exchange = (request: Request): Exchange => ({
    method: request.method,
    url: redactUrl(request.url),
    secrets: [...fixedSecrets, ...sentTokens],
  });

  const attempt = async (request: Request, deadline: Deadline | undefined, http?: HttpTrace): Promise<Response> => {
    http?.sent();
    try {
      return await send(request, deadline ? { signal: deadline.signal } : undefined);
    } catch (error) {
      const signal = deadline?.signal ?? request.signal;
      if (isAbort(error, signal)) throw signal.aborted ? signal.reason : error;
      if (error instanceof GrantKitError) throw error;
      throw new NetworkError(`${request.method} ${redactUrl(request.url)}`, { cause: error });
    }
  };

  const assertOnOrigin = (url: string) => {
    if (url.startsWith(origin)) return;
    throw new ConfigurationError(
      `The URL ${redactUrl(url)} is outside the API's origin ${root.origin}; requests, and the token, go only there. Pass a path relative to the API root.`,
    );
  };

  const exchangeOnce = async (first: Request, deadline: Deadline | undefined, http?: HttpTrace): Promise<Response> => {
    let request = first;
    let header: string | undefined;
    if (getToken) {
      const pending = authorization();
      header = typeof pending === 'string' ? pending : await pending;
      request.headers.set('authorization', header);
    }
    // A body can be read once: keep a copy to resend (after a 401, or a 307/308). Most API calls have none.
    let replay = request.body === null ? undefined : request.clone();
    let response = await attempt(request, deadline, http);

    if (response.status === 401 && renewal && header !== undefined && renewal.allowed()) {
      discard(response.body);
      if (header === (await authorization())) await renewal.renew();
      header = await authorization();
      const retry = new Request(replay ?? request);
      replay = replay ? retry.clone() : undefined;
      retry.headers.set('authorization', header);
      request = retry;
      response = await attempt(request, deadline, http);
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
      const keepsBody = !toGet;
      const source = keepsBody ? (replay ?? request) : undefined;
      const redirected: Request = source
        ? new Request(next, source)
        : new Request(next, { method: 'GET', headers: request.headers, redirect: 'manual', signal: request.signal });
      if (!source) redirected.headers.delete('content-type');
      replay = source && replay ? redirected.clone() : undefined;
      request = redirected;
      response = await attempt(request, deadline, http);
    }
    discard(replay?.body);

    if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
    if (!response.ok) return stashErrorText(response, DEFAULT_ERROR_BODY_BYTES);
    const { status } = response;
    // A browser gives a 204 an empty body stream; there is nothing to read.
    if (response.body === null || status === 204 || status === 205 || request.method === 'HEAD') return response;
    return withBodyReaders(response, maxBodyBytes, () => exchange(request));
  };

  return {
    exchange,
    async fetch(input, init) {
      let request = input instanceof Request ? input : new Request(input, init);
      // Before anything else, the token included, is asked for or sent.
      assertOnOrigin(request.url);
      if (request.redirect !== 'manual') request = new Request(request, { redirect: 'manual' });
      const ms = init?.deadline ?? defaultTimeout;
      const deadline =
        ms === false
          ? undefined
          : startDeadline(() => `${request.method} ${redactUrl(request.url)}`, ms, request.signal);
      const http = traceHttp(init?.purpose ?? 'api', request.method, request.url, init?.parentId);
      try {
        const response = await exchangeOnce(request, deadline, http);
        http?.end(response.status);
        // Nothing more to wait for: the timer can go. Otherwise it bounds the body read too.
        if (response.body === null) deadline?.clear();
        return response;
      } catch (error) {
        http?.fail(error);
        deadline?.clear();
        throw error;
      }
    },
  };
}
