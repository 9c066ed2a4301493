import { ConfigurationError } from '@grantkit/core';
import { readResponse, type StandardSchema, unexpectedAnswer, validateBody } from '@grantkit/core/internal';
import type * as v from 'valibot';
import { parseLinkHeader } from './link-header.js';
import { paginate, type SmithCartPage } from './paginate.js';
import {
  createRestExchange,
  type SmithCartPath,
  type SmithCartRequestOptions,
  type SmithCartTokenSource,
} from './rest-exchange.js';
import { userPath } from './user-path.js';

/** The request timeout when none is set, which also bounds the `Retry-After` waited for when it is `false`. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** ky's default, which this client kept when it was built on ky. */
const DEFAULT_RETRY_LIMIT = 2;

/** Options of {@link createSmithCartClient}. */
export interface SmithCartClientOptions {
  /** SmithCart's API root, e.g. `https://api.example.com`. `https:` unless loopback. */
  baseUrl: string | URL;
  /** The access token from {@link handleCallback}, or a function that returns the current one. */
  token: SmithCartTokenSource;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds before a request fails with `TimeoutError`; `false` for none. Default 10,000. */
  timeout?: number | false | undefined;
  /** The largest answer body read, in bytes (larger: `InvalidResponseError`). Default 10 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * How many times an idempotent request (GET, HEAD, PUT, DELETE) is sent again after 408, 413, 429, 500, 502,
   * 503, 504 or no answer, as ky does by default: 0.3 s, 0.6 s, … apart, or after the `Retry-After` asked for
   * when it is within `timeout`. Default 2; `0` for none.
   */
  retry?: number | undefined;
}

/** Per-call options of the methods that read a body. */
export interface SmithCartReadOptions<T> extends SmithCartRequestOptions {
  /**
   * A valibot schema the body (for `list` and `paginate`: each item) must
   * match; a mismatch fails with `InvalidResponseError`.
   */
  schema?: v.GenericSchema<unknown, T> | undefined;
}

/** Options of {@link SmithCartClient.paginate}: bounds that end a collection which never ends. */
export interface SmithCartPaginateOptions<T> extends SmithCartReadOptions<T> {
  /** The most pages read; one more `rel="next"` fails with `InvalidResponseError`. Default 1,000. */
  maxPages?: number | undefined;
  /** The most items yielded; a page that would pass it fails with `InvalidResponseError`. Default: no bound but `maxPages`. */
  maxItems?: number | undefined;
}

/** What {@link SmithCartClient.create} returns. */
export interface SmithCartCreated<T> {
  /** The created resource, from the 201 body. */
  data: T;
  /** The absolute URL of the created resource, from the `Location` header. */
  location: string;
}

/** A client for SmithCart's REST conventions; see {@link createSmithCartClient}. */
export interface SmithCartClient {
  /** GET a resource: 200 with its body. */
  get<T = unknown>(path: SmithCartPath, options?: SmithCartReadOptions<T>): Promise<T>;
  /** HEAD a resource: 200 with its headers. */
  head(path: SmithCartPath, options?: SmithCartRequestOptions): Promise<Headers>;
  /** GET one page of a collection: 200 with an array body and a `Link` header. */
  list<T = unknown>(path: SmithCartPath, options?: SmithCartReadOptions<T>): Promise<SmithCartPage<T>>;
  /**
   * Every page of a collection, following `rel="next"` until there is none, for at most `maxPages` pages
   * (default 1,000) and `maxItems` items. URLs are compared without their `#fragment`.
   */
  paginate<T = unknown>(
    path: SmithCartPath,
    options?: SmithCartPaginateOptions<T>,
  ): AsyncGenerator<SmithCartPage<T>, void>;
  /** POST a new resource (needs the `create` scope): 201 with its body and `Location`. */
  create<T = unknown>(
    path: SmithCartPath,
    body: unknown,
    options?: SmithCartReadOptions<T>,
  ): Promise<SmithCartCreated<T>>;
  /** PUT a whole resource (needs `edit`): 200 with its body. */
  update<T = unknown>(path: SmithCartPath, body: unknown, options?: SmithCartReadOptions<T>): Promise<T>;
  /** PATCH part of a resource (needs `edit`): 200 with its body. */
  patch<T = unknown>(path: SmithCartPath, body: unknown, options?: SmithCartReadOptions<T>): Promise<T>;
  /** DELETE a resource (needs `delete`): 204 with no body. */
  delete(path: SmithCartPath, options?: SmithCartRequestOptions): Promise<void>;
  /** {@link userPath}: `/users/{username}/…` with each segment encoded. */
  userPath(username: string, ...segments: string[]): string;
}

function retryLimit(retry: number | undefined): number {
  if (retry === undefined) return DEFAULT_RETRY_LIMIT;
  if (!Number.isSafeInteger(retry) || retry < 0) {
    throw new ConfigurationError('`retry` must be a whole number of retries ≥ 0; omit it for the default (2).');
  }
  return retry;
}

/**
 * A client for SmithCart's REST API with the token from the implicit grant.
 * Before sending it refuses an expired token (`TokenExpiredError`: the
 * implicit grant has no refresh, so the user must authorize again) and a
 * write the granted scopes cannot allow (`InsufficientScopeError`); a 403
 * from SmithCart is an `InsufficientScopeError` too. The token is only ever
 * sent to `baseUrl`'s origin.
 *
 * @example
 * ```ts
 * const smithcart = createSmithCartClient({ baseUrl: 'https://api.example.com', token });
 * for await (const page of smithcart.paginate(smithcart.userPath('me', 'orders.json'))) {
 *   for (const order of page.items) console.log(order);
 * }
 * const { location } = await smithcart.create(smithcart.userPath('me', 'customers.json'), { name: 'Ada' });
 * ```
 * @throws {ConfigurationError} when `baseUrl` is not https (or loopback).
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function createSmithCartClient(options: SmithCartClientOptions): SmithCartClient {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const { base, resolve, send } = createRestExchange({
    baseUrl: options.baseUrl,
    token: options.token,
    fetch: options.fetch,
    timeout,
    maxBodyBytes: options.maxBodyBytes,
    retry: { limit: retryLimit(options.retry), maxWaitMs: timeout === false ? DEFAULT_TIMEOUT_MS : timeout },
  });

  const read = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: SmithCartPath,
    body: unknown,
    options: SmithCartReadOptions<T>,
  ) => {
    const { response, exchange } = await send(method, resolve(path, options.searchParams), body, options.signal);
    return { response, data: await readResponse(response, exchange, options.schema as StandardSchema<T> | undefined) };
  };

  const listAt = async <T>(url: URL, options: SmithCartReadOptions<T>): Promise<SmithCartPage<T>> => {
    const { response, exchange } = await send('GET', url, undefined, options.signal);
    const json = await readResponse(response, exchange);
    if (!Array.isArray(json)) {
      throw unexpectedAnswer(`The answer to GET ${exchange.url} is not a collection`, response.status, [
        { path: '', message: 'must be a JSON array' },
      ]);
    }
    const schema = options.schema as StandardSchema<T> | undefined;
    const items: T[] = [];
    for (const item of json) {
      const what = `An item of the answer to GET ${exchange.url}`;
      items.push(schema ? await validateBody(schema, item, response.status, what) : (item as T));
    }
    const links = parseLinkHeader(response.headers.get('link'), response.url || url.href);
    const find = (rel: string) => links.find((link) => link.rel.includes(rel))?.href;
    return { items, next: find('next'), prev: find('prev') };
  };

  return {
    async get(path, options = {}) {
      return (await read('GET', path, undefined, options)).data;
    },
    async head(path, options = {}) {
      return (await send('HEAD', resolve(path, options.searchParams), undefined, options.signal)).response.headers;
    },
    list(path, options = {}) {
      return listAt(resolve(path, options.searchParams), options);
    },
    paginate(path, options = {}) {
      return paginate(resolve(path, options.searchParams), base.origin, (url) => listAt(url, options), options);
    },
    async create(path, body, options = {}) {
      const { response, data } = await read('POST', path, body, options);
      const location = response.headers.get('location');
      if (!location) {
        throw unexpectedAnswer('SmithCart created the resource but sent no Location header', response.status, [
          { path: 'Location', message: 'a 201 answer must carry a Location header' },
        ]);
      }
      return { data, location: new URL(location, response.url || base).href };
    },
    async update(path, body, options = {}) {
      return (await read('PUT', path, body, options)).data;
    },
    async patch(path, body, options = {}) {
      return (await read('PATCH', path, body, options)).data;
    },
    async delete(path, options = {}) {
      await send('DELETE', resolve(path, options.searchParams), undefined, options.signal);
    },
    userPath,
  };
}
