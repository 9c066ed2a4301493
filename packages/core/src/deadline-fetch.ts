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
 */
export function deadlineFetch(options: DeadlineFetchOptions): typeof fetch {
  const { fetch: send, timeoutOf } = options;
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const passedInit = request === input ? init : undefined;
    const ms = timeoutOf(request);
    if (ms === false) return send(request, passedInit);
    const target = `${request.method} ${redactUrl(request.url)}`;
    const deadline = new AbortController();
    // AbortSignal.timeout does not keep the process alive once the exchange is over.
    AbortSignal.timeout(ms).addEventListener('abort', () => deadline.abort(new TimeoutError(target, ms)), {
      once: true,
    });
    return send(new Request(request, { signal: AbortSignal.any([request.signal, deadline.signal]) }), passedInit);
  };
}
