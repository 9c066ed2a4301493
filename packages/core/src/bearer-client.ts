import ky, { type BeforeRequestHook, type KyInstance, type Options, type RetryOptions } from 'ky';
import type { AccessToken } from './access-token.js';
import { isGrantKitError } from './errors/is-grant-kit-error.js';
import { fetchWithNetworkErrors, withGrantKitErrors } from './ky-errors.js';
import { renewingFetch } from './renewing-fetch.js';
import { assertSecureUrl } from './secure-url.js';
import { singleFlight } from './single-flight.js';

/** A token as `createBearerClient` accepts it: an {@link AccessToken} or the raw string. */
export type TokenLike = AccessToken | string;

/** Options of {@link createBearerClient}; any other ky option (`timeout`, `retry`, `hooks`, `fetch`, …) passes through. */
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
  /** A ky instance to build on (its hooks and defaults are kept). Defaults to ky itself. */
  ky?: KyInstance | undefined;
}

// ky retries any failure that is not an HTTP status; a grantkit error thrown by
// getToken() or refreshToken() (a refused password, a bad configuration) must not be
// repeated. Only a NetworkError, a transient failure, keeps ky's default handling.
function sparingRetry(retry: Options['retry']): RetryOptions {
  const options = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  return {
    ...options,
    shouldRetry: (state) =>
      isGrantKitError(state.error) && state.error.code !== 'network_error' ? false : options.shouldRetry?.(state),
  };
}

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
  const setAuthorization: BeforeRequestHook = async (request) => {
    request.headers.set('authorization', await authorization());
  };
  const send = fetchWithNetworkErrors(fetchImpl);
  const authorized = base.extend({
    ...kyOptions,
    retry: sparingRetry(kyOptions.retry),
    prefixUrl: root,
    fetch: refreshToken ? renewingFetch({ fetch: send, authorization, renew: singleFlight(refreshToken) }) : send,
    hooks: { ...kyOptions.hooks, beforeRequest: [setAuthorization, ...(kyOptions.hooks?.beforeRequest ?? [])] },
  });
  return withGrantKitErrors(authorized, kyOptions);
}
