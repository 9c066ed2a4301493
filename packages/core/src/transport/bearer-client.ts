import ky, { type KyInstance, type Options } from 'ky';
import { assertSecureUrl } from '../secure-url.js';
import { grantKitKy, layerDefaults } from './ky-layer.js';
import { boundedRetry } from './retry-options.js';
import { createTransport, type TokenLike, type Transport } from './transport.js';

/**
 * Options of {@link createBearerClient}; any other ky option (`timeout`, `retry`, `hooks`, `fetch`, …) passes through.
 * `timeout` (default 10,000 ms) bounds each attempt until its body has been read, not only until the headers.
 * Unless `retry.maxRetryAfter` is set, a `Retry-After` longer than `timeout` (10 s when `timeout` is `false`)
 * is not waited for: the 429 or 503 rejects at once as `HttpError`. `timeout`, `fetch` and each `retry`
 * setting default to those of the `ky` instance.
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

const KY_DEFAULT_TIMEOUT_MS = 10_000;

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
  const { prefixUrl, getToken, refreshToken, ky: base = ky, fetch: fetchImpl, maxBodyBytes, ...kyOptions } = options;
  const { timeout: ownTimeout, ...passed } = kyOptions;
  const root = assertSecureUrl(prefixUrl, 'prefixUrl');
  let transport: Transport | undefined;
  // The function form of extend() receives the instance's defaults: its retry, timeout and fetch
  // apply unless the options set them.
  const authorized = base.extend((inherited) => {
    const timeout = ownTimeout ?? inherited.timeout ?? KY_DEFAULT_TIMEOUT_MS;
    transport = createTransport({
      root,
      fetch: fetchImpl ?? inherited.fetch,
      timeout,
      getToken,
      refreshToken,
      maxBodyBytes,
    });
    const defaults = layerDefaults(transport);
    return {
      ...passed,
      ...defaults,
      deadline: timeout,
      retry: boundedRetry(inherited.retry, kyOptions.retry),
      prefix: root.href,
      fetch: transport.fetch as typeof fetch,
      hooks: {
        ...kyOptions.hooks,
        beforeError: [...(defaults.hooks?.beforeError ?? []), ...(kyOptions.hooks?.beforeError ?? [])],
      },
    } as Options;
  });
  return grantKitKy(authorized, transport as unknown as Transport);
}
