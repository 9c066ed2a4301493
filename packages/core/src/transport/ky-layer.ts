import { type Input, isHTTPError, isTimeoutError, type KyInstance, type Options, type ResponsePromise } from 'ky';
import { GrantKitError } from '../errors/grant-kit-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { redactUrl } from '../redact.js';
import { notJsonError } from './body-readers.js';
import { httpError, type StandardSchema, validateBody } from './response-reader.js';
import type { Transport } from './transport.js';

/** ky options as grantkit passes them on: `timeout` becomes the transport's `deadline`, ky's own timer stays off. */
type LayerOptions = Options & { deadline?: number | false };

/**
 * Options as the transport reads them: `timeout` moves to `deadline` (the transport's timer covers the body
 * too, where ky's stops at the headers), and a numeric `retry` is `{ limit }`, which ky merges into the
 * instance's retry settings instead of dropping them.
 */
function layerOptions<T extends Options | undefined>(options: T): T {
  if (options === undefined || (options.timeout === undefined && typeof options.retry !== 'number')) return options;
  const { timeout, ...rest } = options as Options;
  const renamed: LayerOptions = rest;
  if (timeout !== undefined) renamed.deadline = timeout;
  if (typeof rest.retry === 'number') renamed.retry = { limit: rest.retry };
  return renamed as T;
}

/**
 * What ky rejects with, as grantkit's errors: `HTTPError` → `HttpError` (built by the response reader),
 * ky's `TimeoutError` (from `totalTimeout`) → `TimeoutError`. ky's errors hold the request with its
 * `Authorization` header, so they are read and dropped, never kept as `cause`. Anything else is returned as is.
 */
async function fromKyError(error: unknown, transport: Transport): Promise<unknown> {
  if (error instanceof GrantKitError) return error;
  if (isHTTPError(error)) return httpError(error.response, transport.exchange(error.request));
  if (isTimeoutError(error) && error.request instanceof Request) {
    const { method, url } = error.request;
    return new TimeoutError(`${method} ${redactUrl(url)}`, undefined);
  }
  return error;
}

/**
 * `.json(schema)` of a response promise with grantkit's errors: a body that is not JSON →
 * `InvalidResponseError` (the response reader's), and a schema given → checked by the response reader (a
 * mismatch → `InvalidResponseError`, values never quoted). The other body methods read through the
 * transport's readers already.
 */
function mapJson<T>(promise: ResponsePromise<T>, method: string): ResponsePromise<T> {
  const json = promise.json;
  promise.json = (async (schema?: StandardSchema) => {
    let value: unknown;
    try {
      value = await (json as () => Promise<unknown>).call(promise);
    } catch (error) {
      const response = await promise.catch(() => undefined);
      throw response ? notJsonError(response, error) : error;
    }
    if (schema === undefined) return value;
    const response = await promise;
    return validateBody(schema, value, response.status, `The answer to ${method} ${redactUrl(response.url)}`);
  }) as ResponsePromise<T>['json'];
  return promise;
}

/**
 * The ky instance users get: every call goes through {@link layerOptions} and {@link mapBodies}; `extend`
 * and `create` keep it.
 */
export function grantKitKy(instance: KyInstance, transport: Transport): KyInstance {
  const call = (input: Input, options: Options | undefined, method: string) =>
    mapJson(instance(input, layerOptions(options)), method);
  const verb =
    (method: 'get' | 'post' | 'put' | 'patch' | 'head' | 'delete' | 'query') => (input: Input, options?: Options) =>
      mapJson(instance[method](input, layerOptions(options)), method.toUpperCase());
  return Object.assign(
    (input: Input, options?: Options) =>
      call(input, options, (options?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()),
    {
      get: verb('get'),
      post: verb('post'),
      put: verb('put'),
      patch: verb('patch'),
      head: verb('head'),
      delete: verb('delete'),
      query: verb('query'),
      create: (options?: Options) => grantKitKy(instance.create(layerOptions(options)), transport),
      extend: (options: Options | ((parent: Options) => Options)) =>
        grantKitKy(
          instance.extend(
            typeof options === 'function' ? (parent: Options) => layerOptions(options(parent)) : layerOptions(options),
          ),
          transport,
        ),
      stop: instance.stop,
      retry: instance.retry,
    },
  ) as KyInstance;
}

/** The hooks and options the transport's ky instance needs. */
export function layerDefaults(transport: Transport): Options {
  return {
    timeout: false,
    redirect: 'manual',
    hooks: { beforeError: [({ error }) => fromKyError(error, transport) as Promise<Error>] },
  };
}
