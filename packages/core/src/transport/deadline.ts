import { TimeoutError } from '../errors/timeout-error.js';

/** A deadline over one exchange: its signal aborts with a {@link TimeoutError} `ms` after it started. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer once nothing is left to wait for. */
  clear(): void;
}

/**
 * Starts the deadline of one exchange made without ky, headers and body and every attempt of it (a renewal,
 * a redirect). The signal also follows `own`, the request's signal, so the caller's abort keeps its reason.
 */
export function startDeadline(target: () => string, ms: number, own: AbortSignal): Deadline {
  const controller = new AbortController();
  // A plain timer rather than AbortSignal.timeout, which builds one more AbortSignal per request. Unref'd, it
  // does not keep the process alive once the exchange is over.
  const timer = setTimeout(() => controller.abort(new TimeoutError(target(), ms)), ms);
  (timer as { unref?: () => void }).unref?.();
  // A listener is cheaper than AbortSignal.any, and the caller's signal lives no longer than the request.
  if (own.aborted) controller.abort(own.reason);
  else own.addEventListener('abort', () => controller.abort(own.reason), { once: true });
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
