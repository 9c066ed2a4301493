import ky, { type BeforeRequestHook, type KyInstance, type Options } from 'ky';
import type { AccessToken } from './access-token.js';
import { deadlineFetch } from './deadline-fetch.js';
import { fetchWithNetworkErrors, withGrantKitErrors } from './ky-errors.js';
import { renewingFetch } from './renewing-fetch.js';
import { boundedRetry } from './retry-options.js';
import { assertSecureUrl } from './secure-url.js';
import { singleFlight } from './single-flight.js';

/** A token as `createBearerClient` accepts it: an {@link AccessToken} or the raw string. */
export type TokenLike = AccessToken | string;

/**
 * Options of {@link createBearerClient}; any other ky option (`timeout`, `retry`, `hooks`, `fetch`, …) passes through.
 * `timeout` (default 10,000 ms) bounds each attempt until its body has been read, not only until the headers.
 * Unless `retry.maxRetryAfter` is set, a `Retry-After` longer than `timeout` (10 s when `timeout` is `false`)
 * is not waited for: the 429 or 503 rejects at once as `HttpError`. `timeout`, `fetch` and each `retry`
 * setting default to those of the `ky` instance.
 */
export interface BearerClientOptions extends Omit<Options, 'prefixUrl'> {
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
}

const KY_DEFAULT_TIMEOUT_MS = 10_000;

function headerOf(token: TokenLike): string {
  return typeof token === 'string' ? `Bearer ${token}` : token.authorizationHeader();
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
  const { prefixUrl, getToken, refreshToken, ky: base = ky, fetch: fetchImpl, ...kyOptions } = options;
  const root = assertSecureUrl(prefixUrl, 'prefixUrl');

  const authorization = async () => headerOf(await getToken());
  // The timeout of each request as ky resolved it (per call, else the client's), for deadlineFetch;
  // ky's hooks receive it though its NormalizedOptions type does not declare it.
  const timeouts = new WeakMap<Request, number | false>();
  const setAuthorization: BeforeRequestHook = async (request, requestOptions) => {
    const { timeout } = requestOptions as { timeout?: number | false };
    if (timeout !== undefined) timeouts.set(request, timeout);
    request.headers.set('authorization', await authorization());
  };
  let timeout: number | false = KY_DEFAULT_TIMEOUT_MS;
  // The function form of extend() receives the instance's defaults: its retry, timeout and fetch
  // apply unless the options set them.
  const authorized = base.extend((inherited) => {
    timeout = kyOptions.timeout ?? inherited.timeout ?? KY_DEFAULT_TIMEOUT_MS;
    const send = fetchWithNetworkErrors(fetchImpl ?? inherited.fetch);
    return {
      ...kyOptions,
      timeout,
      retry: boundedRetry(inherited.retry, kyOptions.retry),
      prefixUrl: root,
      fetch: deadlineFetch({
        fetch: refreshToken ? renewingFetch({ fetch: send, authorization, renew: singleFlight(refreshToken) }) : send,
        timeoutOf: (request) => timeouts.get(request) ?? timeout,
      }),
      hooks: { ...kyOptions.hooks, beforeRequest: [setAuthorization, ...(kyOptions.hooks?.beforeRequest ?? [])] },
    };
  });
  return withGrantKitErrors(authorized, { ...kyOptions, timeout });
}
