import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance, type Options, type RetryOptions } from 'ky';
import { GrantKitError } from '../errors/grant-kit-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { redactUrl } from '../redact.js';
import { assertSecureUrl } from '../secure-url.js';
import { httpError, networkError, parseJsonBody } from './read-response.js';
import { requestedDelayMs } from './retry-after.js';
import { createTransport, type TokenLike, type Transport } from './transport.js';

/**
 * Options of {@link createBearerClient}; any other ky option (`timeout`, `retry`, `hooks`, `fetch`, …) passes through.
 * `timeout` is ky's (default 10,000 ms): it bounds each attempt until its body has been read, since the
 * transport reads the body before ky sees the answer. Unless `retry.maxRetryAfter` is set, a `Retry-After`
 * longer than `timeout` (10 s when `timeout` is `false`) is not waited for: the 429 or 503 rejects at once as
 * `HttpError`. `timeout`, `fetch` and each `retry` setting default to those of the `ky` instance.
 */
export interface BearerClientOptions extends Omit<Options, 'prefix' | 'baseUrl'> {
  /** The API root every relative path is resolved against. `https:` unless loopback. */
  prefixUrl: string | URL;
  /** Returns the token to send. Called before every request, so it can renew lazily. */
  getToken: () => TokenLike | Promise<TokenLike>;
  /**
   * Renews the token after a 401. Concurrent 401s share one call; each
   * request is then sent once more, body included, with whatever `getToken()`
   * returns next, within the same `timeout`. `afterResponse` hooks see only the
   * answer to that retry. Without it, a 401 surfaces as `HttpError`.
   */
  refreshToken?: (() => Promise<unknown>) | undefined;
  /**
   * A ky instance to build on. Its hooks and defaults are kept: its `timeout`, `fetch` and `retry` settings
   * apply unless these options set them, `retry` setting by setting (`retry: 0` is `{ limit: 0 }`), its
   * `shouldRetry` included. Defaults to ky itself.
   */
  ky?: KyInstance | undefined;
  /**
   * The largest successful answer body read, in bytes; a larger one fails with `InvalidResponseError`.
   * Default 10 MiB. Error bodies are read up to 1 MiB.
   */
  maxBodyBytes?: number | undefined;
}

/** ky's own default `timeout`, which is also the bound of a `Retry-After` when `timeout` is `false`. */
const KY_TIMEOUT_MS = 10_000;

/** What each request carries in ky's `context`, written by the `init` hook from the request's own options. */
interface PerRequest {
  /** The request's `timeout`, for its `TimeoutError`. */
  timeoutMs?: number | undefined;
  /** The longest `Retry-After` waited for, unless the caller chose one with `retry.maxRetryAfter`. */
  retryAfterBound?: number | undefined;
}

function retryObject(retry: Options['retry']): RetryOptions {
  return typeof retry === 'number' ? { limit: retry } : (retry ?? {});
}

/**
 * `shouldRetry` with grantkit's two rules before the caller's own: a grantkit error is not repeated (what
 * `getToken()` or `refreshToken()` threw, a body cut off, a body too large: sending again cannot fix it),
 * and a `Retry-After` longer than the request's bound is not waited for (ky would wait however long the
 * server asks).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
function guarded(own: RetryOptions['shouldRetry']): NonNullable<RetryOptions['shouldRetry']> {
  return (state) => {
    const { error } = state;
    if (error instanceof GrantKitError) return false;
    if (isHTTPError(error)) {
      const { context, retry } = error.options;
      const bound = (context as PerRequest).retryAfterBound;
      const delay = retry.afterStatusCodes.includes(error.response.status)
        ? requestedDelayMs(error.response.headers)
        : undefined;
      if (bound !== undefined && delay !== undefined && delay > bound) return false;
    }
    return own?.(state);
  };
}

/**
 * What ky rejects with, as grantkit's errors: `HTTPError` → `HttpError` (its body, which the transport capped,
 * redacted and scrubbed), `TimeoutError` → `TimeoutError`, `NetworkError` → `NetworkError`. ky's errors hold
 * the request with its `Authorization` header, so they are read and dropped, never kept as `cause`.
 */
function fromKyError(error: Error, timeoutMs: number | undefined, transport: Transport): Error {
  if (error instanceof GrantKitError) return error;
  if (isHTTPError(error)) {
    const { data } = error;
    const text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data);
    return httpError(error.response.status, text, transport.exchange(error.request));
  }
  if (isNetworkError(error) && error.request instanceof Request) return networkError(error.request, error.cause);
  if (isTimeoutError(error) && error.request instanceof Request) {
    return new TimeoutError(`${error.request.method} ${redactUrl(error.request.url)}`, timeoutMs);
  }
  return error;
}

/**
 * A ky instance that sends `Authorization: Bearer …` from `getToken()` on every
 * request, renews once on a 401 (one renewal shared by concurrent requests) and
 * retries, and rejects with grantkit's typed errors.
 *
 * @example
 * ```ts
 * const api = createBearerClient({
 *   prefixUrl: 'https://api.example.com/v1',
 *   getToken: () => tokens.current(),
 *   refreshToken: () => tokens.renew(),
 * });
 * const me = await api.get('me').json();
 * ```
 * @throws {ConfigurationError} when `prefixUrl` is not https (or loopback).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function createBearerClient(options: BearerClientOptions): KyInstance {
  const { prefixUrl, getToken, refreshToken, ky: base = ky, fetch, maxBodyBytes, ...kyOptions } = options;
  const root = assertSecureUrl(prefixUrl, 'prefixUrl');
  // The function form of extend() receives the instance's defaults: its retry and fetch apply unless the
  // options set them.
  return base.extend((inherited) => {
    const transport = createTransport({
      root,
      fetch: fetch ?? inherited.fetch,
      rawFailures: true,
      getToken,
      refreshToken,
      maxBodyBytes,
    });
    const retry = { ...retryObject(inherited.retry), ...retryObject(kyOptions.retry) };
    const shouldRetry = guarded(retry.shouldRetry);
    const { hooks } = kyOptions;
    return {
      ...kyOptions,
      prefix: root.href,
      redirect: 'manual',
      fetch: transport.fetch as typeof globalThis.fetch,
      retry: { ...retry, shouldRetry },
      context: {},
      // A body that is not JSON is the reader's InvalidResponseError; an error body stays text for HttpError.
      // The URL is redacted only for that error: redacting parses it, which every answer would pay for.
      parseJson:
        kyOptions.parseJson ??
        inherited.parseJson ??
        ((text, { request, response }) =>
          response.ok
            ? parseJsonBody(text, response.status, {
                method: request.method,
                get url() {
                  return redactUrl(request.url);
                },
              })
            : text),
      hooks: {
        ...hooks,
        init: [
          ...(hooks?.init ?? []),
          // Last, so it reads the options every other init hook left.
          (call) => {
            const { timeout } = call;
            const own = retryObject(call.retry);
            // A retry given per call or to extend() replaced these settings in ky's merge: keep the rules.
            if (own.shouldRetry !== shouldRetry) {
              call.retry =
                typeof call.retry === 'number'
                  ? { ...retry, limit: call.retry, shouldRetry }
                  : { ...own, shouldRetry: guarded(own.shouldRetry) };
            }
            const context = call.context as PerRequest;
            context.timeoutMs = timeout === false ? undefined : (timeout ?? KY_TIMEOUT_MS);
            context.retryAfterBound =
              retryObject(call.retry).maxRetryAfter === undefined ? (context.timeoutMs ?? KY_TIMEOUT_MS) : undefined;
          },
        ],
        beforeError: [
          ({ error, options }) => fromKyError(error, (options.context as PerRequest).timeoutMs, transport),
          ...(hooks?.beforeError ?? []),
        ],
      },
    } satisfies Options;
  });
}
