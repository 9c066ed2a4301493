/**
 * Shares one in-flight call of `fn` among concurrent callers: while a call is
 * pending, every caller gets the same promise (and the same result or error).
 * The next call after it settles starts a new one.
 *
 * @example
 * ```ts
 * const refresh = singleFlight(() => requestNewToken());
 * await Promise.all([refresh(), refresh(), refresh()]); // one request
 * ```
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    // Started from a resolved promise so that a synchronous throw in `fn` is
    // cleared like a rejection instead of sticking as the shared result.
    inFlight ??= Promise.resolve()
      .then(fn)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
