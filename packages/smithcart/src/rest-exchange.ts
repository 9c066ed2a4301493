import { type AccessToken, ConfigurationError, InsufficientScopeError, TokenExpiredError } from '@grantkit/core';
import { assertSecureUrl, createTransport, type Exchange, httpError, unexpectedAnswer } from '@grantkit/core/internal';
import { requiredScope } from './required-scope.js';
import { type RetryPolicy, withRetry } from './retry.js';

/** The token a SmithCart client sends: a fixed one, or a function read before every request. */
export type SmithCartTokenSource = AccessToken | (() => AccessToken | Promise<AccessToken>);

/** A path relative to `baseUrl` (such as `userPath` returns), or an absolute URL on the API's origin. */
export type SmithCartPath = string | URL;

/** Per-call options of every SmithCart client method. */
export interface SmithCartRequestOptions {
  /** Query parameters added to the path's own. */
  searchParams?: Record<string, string | number | boolean> | URLSearchParams | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

/** What {@link createRestExchange} needs, its defaults already set. */
export interface RestExchangeOptions {
  baseUrl: string | URL;
  token: SmithCartTokenSource;
  fetch: typeof fetch | undefined;
  timeout: number | false;
  maxBodyBytes: number | undefined;
  retry: RetryPolicy;
}

/** The exchange of one SmithCart client: its API root, how a path becomes a URL, and how a request is sent. */
export interface RestExchange {
  /** `baseUrl` with a trailing `/`, without query or fragment. */
  base: URL;
  /** `path` as a URL of the API (the transport refuses any other origin), with `searchParams` added. */
  resolve(path: SmithCartPath, searchParams: SmithCartRequestOptions['searchParams']): URL;
  /** Sends `method` to `url` with `body` as JSON, and checks the answer's status. */
  send(method: Method, url: URL, body: unknown, signal: AbortSignal | undefined): Promise<RestAnswer>;
}

/** A SmithCart answer with the status its method calls for, and what its errors may show. */
interface RestAnswer {
  response: Response;
  exchange: Exchange;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const EXPECTED_STATUS: Record<Method, number> = { GET: 200, HEAD: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };

/** Reads `scope="…"` from a Bearer challenge (RFC 6750 §3). */
function challengedScope(header: string | null): string | undefined {
  return header?.match(/\bscope="([^"\\]*)"/i)?.[1] || undefined;
}

/**
 * One SmithCart exchange, rule by rule: the token is not expired (`TokenExpiredError`: the implicit grant has no
 * refresh) and its scopes allow the method (`InsufficientScopeError`), both before sending; the request goes
 * through core's transport (origin pinning, timeout, caps) and is retried as ky would; a 403 is
 * `InsufficientScopeError`, another error status `HttpError`, and a success other than the method's
 * (201 for POST, 204 for DELETE, 200 otherwise) `InvalidResponseError`.
 */
export function createRestExchange(options: RestExchangeOptions): RestExchange {
  const base = assertSecureUrl(options.baseUrl, 'baseUrl');
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const source = options.token;
  let current: AccessToken | undefined;
  const transport = createTransport({
    root: base,
    fetch: options.fetch,
    timeout: options.timeout,
    // A request that got no answer is retried here, and only then a NetworkError.
    rawFailures: true,
    maxBodyBytes: options.maxBodyBytes,
    getToken: () => current as AccessToken,
  });

  const resolve = (path: SmithCartPath, searchParams: SmithCartRequestOptions['searchParams']): URL => {
    let url: URL;
    try {
      url = path instanceof URL ? new URL(path) : new URL(path.replace(/^\/+/, ''), base);
    } catch {
      throw new ConfigurationError('The path is not a valid URL path; build it with `userPath(username, …segments)`.');
    }
    url.hash = '';
    const extra = searchParams instanceof URLSearchParams ? searchParams : Object.entries(searchParams ?? {});
    for (const [name, value] of extra) url.searchParams.set(name, String(value));
    return url;
  };

  const send = async (
    method: Method,
    url: URL,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<RestAnswer> => {
    const token = typeof source === 'function' ? await source() : source;
    if (token.isExpired()) throw new TokenExpiredError(token.expiresAt, { advice: 'Ask the user to authorize again.' });
    const needed = requiredScope(method);
    if (needed && !token.scope.has(needed)) {
      throw new InsufficientScopeError({ required: needed, granted: token.scope.toString() });
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    };
    const target = { method, url: url.href };
    const response = await withRetry(
      target,
      signal,
      () => {
        // Read by getToken() before transport.fetch() first awaits: the token checked above is the one sent.
        current = token;
        return transport.fetch(url, init);
      },
      options.retry,
    );
    const exchange = transport.exchange(target);
    if (response.status === 403) {
      throw new InsufficientScopeError({
        required: challengedScope(response.headers.get('www-authenticate')),
        granted: token.scope.toString(),
      });
    }
    if (!response.ok) throw httpError(response.status, await response.text(), exchange);
    if (response.status !== EXPECTED_STATUS[method]) {
      throw unexpectedAnswer(
        `${method} ${exchange.url} answered ${response.status} where SmithCart answers ${EXPECTED_STATUS[method]}`,
        response.status,
      );
    }
    return { response, exchange };
  };

  return { base, resolve, send };
}
