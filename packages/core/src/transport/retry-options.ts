import { isHTTPError, type NormalizedOptions, type Options, type RetryOptions } from 'ky';
import { isGrantKitError } from '../errors/is-grant-kit-error.js';
import { isTokenFailure } from './transport.js';

const KY_DEFAULT_TIMEOUT_MS = 10_000;
// The headers ky reads a server's requested delay from, in ky's order.
const DELAY_HEADERS = [
  'retry-after',
  'ratelimit-reset',
  'x-ratelimit-retry-after',
  'x-ratelimit-reset',
  'x-rate-limit-reset',
];

/** The delay a 413/429/503 asks for, read as ky reads it, or `undefined` when it names none. */
function requestedDelayMs(headers: Headers): number | undefined {
  const value = DELAY_HEADERS.map((name) => headers.get(name)).find((header) => header !== null);
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isNaN(seconds)) return Date.parse(value) - Date.now();
  const ms = seconds * 1000;
  // ky reads a large number as a timestamp.
  return ms >= Date.parse('2024-01-01') ? ms - Date.now() : ms;
}

function retryObject(retry: Options['retry']): RetryOptions {
  return typeof retry === 'number' ? { limit: retry } : (retry ?? {});
}

/**
 * The retry options to extend a ky instance with: the instance's own
 * (`inherited`), each setting overridden by the caller's (`retry`, a number
 * being `{ limit }`), with two changes. Whatever `getToken()` or
 * `refreshToken()` threw (a refused password, an unreachable token endpoint)
 * is not repeated, nor a grantkit error other than a request's `NetworkError`. And unless
 * `maxRetryAfter` is set, a `Retry-After` longer than the request's timeout
 * (10 s when there is none) is not waited for: ky's default is to wait however
 * long the server asks, so the 429 or 503 surfaces at once as `HttpError`.
 * The result carries the limit itself because ky's merge drops a numeric
 * `retry` of the instance when it meets an object.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function boundedRetry(inherited: Options['retry'], retry: Options['retry']): RetryOptions {
  const own = retryObject(retry);
  const settings = { ...retryObject(inherited), ...own };
  const { limit, maxRetryAfter, shouldRetry } = settings;
  return {
    ...own,
    ...(limit === undefined ? {} : { limit }),
    shouldRetry: (state) => {
      // A failure of getToken()/refreshToken() itself is not fixed by sending the request again (a token
      // source retries on its own); nor is any grantkit error but a NetworkError of the request.
      if (isTokenFailure(state.error)) return false;
      if (isGrantKitError(state.error) && state.error.code !== 'network_error') return false;
      if (maxRetryAfter === undefined && isHTTPError(state.error)) {
        const { response, options } = state.error;
        // ky's resolved options hold the transport's `deadline` (ky passes unknown options on).
        const { deadline, retry: resolved } = options as NormalizedOptions & { deadline?: number | false };
        const bound = typeof deadline === 'number' ? deadline : KY_DEFAULT_TIMEOUT_MS;
        const delay = resolved.afterStatusCodes?.includes(response.status)
          ? requestedDelayMs(response.headers)
          : undefined;
        if (delay !== undefined && delay > bound) return false;
      }
      return shouldRetry?.(state);
    },
  };
}
