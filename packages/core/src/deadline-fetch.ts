import { TimeoutError } from './errors/timeout-error.js';
import { redactUrl } from './redact.js';

/** What {@link deadlineFetch} needs. */
export interface DeadlineFetchOptions {
  /** The `fetch` that sends. */
  fetch: typeof fetch;
  /** Milliseconds the exchange may take, headers and body, or `false` for no limit. */
  timeoutOf: (request: Request) => number | false;
}

/**
 * A `fetch` whose exchange is aborted `timeoutOf(request)` ms after it was
 * sent, including the time spent reading the body. ky's `timeout` stops
 * counting once the headers arrive, so a body that stalls would otherwise be
 * waited for forever. The abort reason is a {@link TimeoutError}, so a body
 * read rejects with it; an abort through the request's own signal keeps its reason.
 *
 * The deadline's signal goes to `fetch` as `init.signal` rather than in a new
 * `Request`: fetch builds a `Request` from its arguments anyway, so this saves
 * a second construction on every call.
 */
export function deadlineFetch(options: DeadlineFetchOptions): typeof fetch {
  const { fetch: send, timeoutOf } = options;
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const passedInit = request === input ? init : undefined;
    const ms = timeoutOf(request);
    if (ms === false) return send(request, passedInit);
    const deadline = new AbortController();
    const { method, url } = request;
    // A plain timer rather than AbortSignal.timeout, which builds one more AbortSignal per request. Unref'd, it
    // does not keep the process alive once the exchange is over; it is cleared when there is no body to wait for.
    const timer = setTimeout(() => deadline.abort(new TimeoutError(`${method} ${redactUrl(url)}`, ms)), ms);
    (timer as { unref?: () => void }).unref?.();
    // A listener is cheaper than AbortSignal.any, and the caller's signal lives no longer than the request.
    const own = passedInit?.signal ?? request.signal;
    if (own.aborted) deadline.abort(own.reason);
    else own.addEventListener('abort', () => deadline.abort(own.reason), { once: true });
    return send(request, { ...passedInit, signal: deadline.signal }).then(
      (response) => {
        if (response.body === null) clearTimeout(timer);
        return response;
      },
      (error: unknown) => {
        clearTimeout(timer);
        throw error;
      },
    );
  };
}
