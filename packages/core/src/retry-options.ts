import { isHTTPError, type Options, type RetryOptions } from 'ky';
import { isGrantKitError } from './errors/is-grant-kit-error.js';

const KY_DEFAULT_TIMEOUT_MS = 10_000;
const KY_AFTER_STATUS_CODES = [413, 429, 503];
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

/**
 * ky's retry options with two changes. A grantkit error thrown by
 * `getToken()` or `refreshToken()` (a refused password, a bad configuration)
 * is not repeated; a `NetworkError` keeps ky's default handling. And unless
 * `maxRetryAfter` is set, a `Retry-After` longer than the timeout (10 s when
 * there is none) is not waited for: ky's default is to wait however long the
 * server asks, so the 429 or 503 surfaces at once as `HttpError`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function boundedRetry(retry: Options['retry'], timeout: Options['timeout']): RetryOptions {
  const options = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const explicitMax = options.maxRetryAfter;
  const maxRetryAfter = explicitMax ?? (typeof timeout === 'number' ? timeout : KY_DEFAULT_TIMEOUT_MS);
  const afterStatusCodes = options.afterStatusCodes ?? KY_AFTER_STATUS_CODES;
  return {
    ...options,
    maxRetryAfter,
    shouldRetry: (state) => {
      if (isGrantKitError(state.error) && state.error.code !== 'network_error') return false;
      if (explicitMax === undefined && isHTTPError(state.error)) {
        const { response } = state.error;
        const delay = afterStatusCodes.includes(response.status) ? requestedDelayMs(response.headers) : undefined;
        if (delay !== undefined && delay > maxRetryAfter) return false;
      }
      return options.shouldRetry?.(state);
    },
  };
}
