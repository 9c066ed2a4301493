import { type Input, isHTTPError, isTimeoutError, type KyInstance, type Options, type ResponsePromise } from 'ky';
import { GrantKitError } from './errors/grant-kit-error.js';
import { HttpError } from './errors/http-error.js';
import { InvalidResponseError } from './errors/invalid-response-error.js';
import { NetworkError } from './errors/network-error.js';
import { TimeoutError } from './errors/timeout-error.js';
import { redactBody, redactUrl } from './redact.js';

const KY_DEFAULT_TIMEOUT_MS = 10_000;
const BODY_METHODS = ['json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes'] as const;

// By name, not instanceof: fetch's DOMException may come from another realm.
function isAbort(error: unknown, signal: AbortSignal | null | undefined): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || signal?.aborted === true;
}

function bearerSecret(request: Request): string[] {
  const header = request.headers.get('authorization');
  return header?.toLowerCase().startsWith('bearer ') ? [header.slice(7)] : [];
}

/**
 * A `fetch` whose failures to get any answer become {@link NetworkError}
 * (with the original failure as `cause`). Aborts, including an abort with a
 * custom reason, pass through untouched.
 *
 * @example
 * ```ts
 * const response = await fetchWithNetworkErrors(options.fetch)(tokenUrl, { method: 'POST', body });
 * ```
 */
export function fetchWithNetworkErrors(fetchImpl: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await fetchImpl(input, init);
    } catch (error) {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      if (isAbort(error, signal) || error instanceof GrantKitError) throw error;
      const url = input instanceof Request ? input.url : String(input);
      throw new NetworkError(redactUrl(url), { cause: error });
    }
  };
}

/**
 * Turns ky's errors into grantkit's. ky's own error objects hold the request
 * with its `Authorization` header, so they are read and dropped, never kept as `cause`.
 * Anything else is returned as it is.
 *
 * @example
 * ```ts
 * try {
 *   return await ky.post(url, { body }).json();
 * } catch (error) {
 *   throw await toGrantKitError(error, 10_000);
 * }
 * ```
 */
export async function toGrantKitError(error: unknown, timeoutMs: number | false | undefined): Promise<unknown> {
  if (isHTTPError(error)) {
    const { request, response } = error;
    let body: unknown;
    try {
      body = redactBody(await response.text(), bearerSecret(request));
    } catch {
      body = undefined;
    }
    return new HttpError({ status: response.status, method: request.method, url: redactUrl(request.url), body });
  }
  // By name alone, a caller's AbortSignal.timeout() reason would pass too; only ky's error has the request.
  if (isTimeoutError(error) && !(error instanceof GrantKitError) && error.request instanceof Request) {
    const { request } = error;
    const ms = timeoutMs === false ? undefined : (timeoutMs ?? KY_DEFAULT_TIMEOUT_MS);
    return new TimeoutError(`${request.method} ${redactUrl(request.url)}`, ms);
  }
  return error;
}

function nameOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

/**
 * Maps what reading a body that had arrived can fail with: undici's
 * `TypeError: terminated` when the connection drops, and, for `json()`, the
 * `SyntaxError` of a body that is not JSON (never kept as `cause`: its message
 * quotes the body). Anything else, a caller's abort reason included, is left as it is.
 */
function bodyFailure(error: unknown, response: Response, method: string, json: boolean): unknown {
  const target = `${method} ${redactUrl(response.url)}`;
  if (nameOf(error) === 'TypeError') return new NetworkError(target, { cause: error });
  if (json && nameOf(error) === 'SyntaxError') {
    return new InvalidResponseError(`The answer to ${target} is not JSON`, {
      status: response.status,
      issues: [{ path: '', message: 'must be JSON' }],
    });
  }
  return error;
}

function mapResponsePromise<T>(
  promise: ResponsePromise<T>,
  method: string,
  options: Options | undefined,
  timeoutMs: number | false | undefined,
): ResponsePromise<T> {
  const mapped = new WeakMap<object, Promise<unknown>>();
  const rethrow = async (error: unknown): Promise<never> => {
    if (typeof error !== 'object' || error === null) throw error;
    let result = mapped.get(error);
    if (!result) {
      result = toGrantKitError(error, timeoutMs);
      mapped.set(error, result);
    }
    throw await result;
  };
  const wrapped = promise.then(undefined, rethrow) as ResponsePromise<T>;
  // Callers often use only `.json()`; the bare promise must not then count as unhandled.
  wrapped.catch(() => undefined);
  for (const type of BODY_METHODS) {
    const original = promise[type] as (() => Promise<unknown>) | undefined;
    if (typeof original === 'function') {
      (wrapped as unknown as Record<string, unknown>)[type] = () =>
        original.call(promise).then(undefined, async (error: unknown) => {
          const response = await promise.then(
            (value) => value,
            () => undefined,
          );
          // No response: the request itself failed. An aborted signal: the caller's reason passes through.
          if (!response || options?.signal?.aborted) return rethrow(error);
          return rethrow(bodyFailure(error, response, method, type === 'json'));
        });
    }
  }
  return wrapped;
}

/** Options whose numeric `retry` became `{ limit }`, which ky merges into the instance's retry settings. */
function limitOnly<T extends Options | undefined>(options: T): T {
  return typeof options?.retry === 'number' ? { ...options, retry: { limit: options.retry } } : options;
}

/**
 * The same ky instance, but every request it makes rejects with grantkit's
 * typed errors (`HttpError`, `TimeoutError`, `NetworkError`) instead of ky's.
 * Instances made from it with `extend`/`create` keep the mapping.
 *
 * A numeric `retry`, per call or in `extend`, is read as `{ limit }`: it sets
 * the number of retries and keeps the instance's other retry settings, its
 * `shouldRetry` included, where ky would drop them all.
 *
 * @example
 * ```ts
 * const api = withGrantKitErrors(ky.create({ prefixUrl: 'https://api.example.com', timeout: 5_000 }), { timeout: 5_000 });
 * await api.get('orders').json(); // rejects with HttpError, TimeoutError or NetworkError
 * ```
 */
export function withGrantKitErrors(instance: KyInstance, defaults: Options = {}): KyInstance {
  const timeoutOf = (options?: Options) => options?.timeout ?? defaults.timeout;
  const call = (input: Input, given?: Options) => {
    const options = limitOnly(given);
    const method = options?.method ?? (input instanceof Request ? input.method : (defaults.method ?? 'GET'));
    return mapResponsePromise(instance(input, options), method.toUpperCase(), options, timeoutOf(options));
  };
  const verb = (method: 'get' | 'post' | 'put' | 'patch' | 'head' | 'delete') => (input: Input, given?: Options) => {
    const options = limitOnly(given);
    return mapResponsePromise(instance[method](input, options), method.toUpperCase(), options, timeoutOf(options));
  };
  return Object.assign(call, {
    get: verb('get'),
    post: verb('post'),
    put: verb('put'),
    patch: verb('patch'),
    head: verb('head'),
    delete: verb('delete'),
    create: (options?: Options) => withGrantKitErrors(instance.create(options), options ?? {}),
    extend: (options: Options | ((parent: Options) => Options)) => {
      const next = limitOnly(typeof options === 'function' ? options(defaults) : options);
      const extended = instance.extend(
        typeof options === 'function' ? (parent: Options) => limitOnly(options(parent)) : next,
      );
      return withGrantKitErrors(extended, { ...defaults, ...next });
    },
    stop: instance.stop,
    retry: instance.retry,
  }) as KyInstance;
}
