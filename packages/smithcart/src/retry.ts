import { GrantKitError } from '@grantkit/core';
import { networkError, requestedDelayMs } from '@grantkit/core/internal';

// ky's defaults, which this client kept when it was built on ky.
const IDEMPOTENT = ['GET', 'HEAD', 'PUT', 'DELETE'];
const RETRIED_STATUSES = [408, 413, 429, 500, 502, 503, 504];
const WAIT_AS_TOLD_STATUSES = [413, 429, 503];

/** How {@link withRetry} repeats a request. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** The longest `Retry-After` waited for; a longer one surfaces the answer at once. */
  maxWaitMs: number;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The delay before retry `n` of `response` (or of a request that got no answer), or `undefined`: do not retry. */
function delayOf(response: Response | undefined, n: number, policy: RetryPolicy): number | undefined {
  const backoff = 300 * 2 ** (n - 1);
  if (response === undefined) return backoff;
  if (!RETRIED_STATUSES.includes(response.status)) return undefined;
  const asked = WAIT_AS_TOLD_STATUSES.includes(response.status) ? requestedDelayMs(response.headers) : undefined;
  if (asked === undefined) return response.status === 413 ? undefined : backoff;
  return asked > policy.maxWaitMs ? undefined : Math.max(0, asked);
}

/**
 * Sends once, and again as ky would by default for an idempotent method: after 408, 413, 429, 500, 502, 503
 * or 504, or when no answer came, with a backoff of 0.3 s, 0.6 s, … or the `Retry-After` asked for (not
 * waited for when longer than `maxWaitMs`). A grantkit error (the timeout, a body cut off or too large) and
 * the caller's abort are not repeated. No answer at the end → `NetworkError`.
 */
export async function withRetry(
  target: Pick<Request, 'method' | 'url'>,
  signal: AbortSignal | undefined,
  send: () => Promise<Response>,
  policy: RetryPolicy,
): Promise<Response> {
  const retried = IDEMPOTENT.includes(target.method);
  for (let n = 1; ; n += 1) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await send();
    } catch (error) {
      if (error instanceof GrantKitError || signal?.aborted) throw error;
      failure = networkError(target, error);
    }
    const delay = retried && n <= policy.limit ? delayOf(response, n, policy) : undefined;
    if (delay === undefined) {
      if (response) return response;
      throw failure;
    }
    await response?.body?.cancel();
    await wait(delay, signal);
  }
}
