import { type AccessToken, ConfigurationError, InsufficientScopeError, TokenExpiredError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import {
  assertSecureUrl,
  redactUrl,
  type StandardSchema,
  unexpectedAnswer,
  validateBody,
} from '@grantkit/core/internal';
import type { Options } from 'ky';
import type * as v from 'valibot';
import { parseLinkHeader } from './link-header.js';
import { requiredScope } from './required-scope.js';
import { userPath } from './user-path.js';

/** The token a {@link SmithCartClient} sends: a fixed one, or a function read before every request. */
export type SmithCartTokenSource = AccessToken | (() => AccessToken | Promise<AccessToken>);

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
   * Other ky options for every request: `retry` (ky's defaults retry idempotent requests on 408, 413, 429,
   * 500, 502, 503, 504 and network errors), `hooks`, `headers`, …
   */
  kyOptions?:
    | Omit<Options, 'prefix' | 'baseUrl' | 'fetch' | 'timeout' | 'throwHttpErrors' | 'json' | 'method'>
    | undefined;
}

/** A path relative to `baseUrl` (such as {@link userPath} returns), or an absolute URL on the API's origin. */
export type SmithCartPath = string | URL;

/** Per-call options of every {@link SmithCartClient} method. */
export interface SmithCartRequestOptions {
  /** Query parameters added to the path's own. */
  searchParams?: Record<string, string | number | boolean> | URLSearchParams | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
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

/** One page of a collection. */
export interface SmithCartPage<T> {
  items: T[];
  /** The absolute URL of the next page (`Link: <…>; rel="next"`), if any. */
  next: string | undefined;
  /** The absolute URL of the previous page (`Link: <…>; rel="prev"`), if any. */
  prev: string | undefined;
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

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const EXPECTED_STATUS: Record<Method, number> = { GET: 200, HEAD: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };

/** Reads `scope="…"` from a Bearer challenge (RFC 6750 §3). */
function challengedScope(header: string | null): string | undefined {
  return header?.match(/\bscope="([^"\\]*)"/i)?.[1] || undefined;
}

/** The implicit grant has no refresh: only the user can get a new token. */
function expired(token: AccessToken): TokenExpiredError {
  return new TokenExpiredError(token.expiresAt, { advice: 'Ask the user to authorize again.' });
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
  const base = assertSecureUrl(options.baseUrl, 'baseUrl');
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const source = options.token;
  const currentToken = async (): Promise<AccessToken> => (typeof source === 'function' ? source() : source);
  const api = createBearerClient({
    ...options.kyOptions,
    prefixUrl: base,
    getToken: currentToken,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout: options.timeout ?? 10_000,
    maxBodyBytes: options.maxBodyBytes,
    // A 403 is SmithCart's answer about scopes: read here, as InsufficientScopeError.
    throwHttpErrors: (status) => status !== 403,
  });

  const resolve = (path: SmithCartPath, searchParams: SmithCartRequestOptions['searchParams']): URL => {
    let url: URL;
    try {
      url =
        path instanceof URL || /^[a-z][a-z\d+.-]*:/i.test(path)
          ? new URL(path)
          : new URL(path.replace(/^\/+/, ''), base);
    } catch {
      throw new ConfigurationError('The path is not a valid URL path; build it with `userPath(username, …segments)`.');
    }
    if (url.origin !== base.origin) {
      throw new ConfigurationError(
        `The URL ${redactUrl(url.href)} is outside the API's origin ${base.origin}; the token is only sent there.`,
      );
    }
    url.hash = '';
    const extra = searchParams instanceof URLSearchParams ? searchParams : Object.entries(searchParams ?? {});
    for (const [name, value] of extra) url.searchParams.set(name, String(value));
    return url;
  };

  const send = async (method: Method, url: URL, body: unknown, options: SmithCartRequestOptions) => {
    const token = await currentToken();
    if (token.isExpired()) throw expired(token);
    const needed = requiredScope(method);
    if (needed && !token.scope.has(needed)) {
      throw new InsufficientScopeError({ required: needed, granted: token.scope.toString() });
    }
    const pending = api(url, {
      method,
      headers: { accept: 'application/json' },
      ...(body === undefined ? {} : { json: body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const response = await pending;
    const shownUrl = redactUrl(url.href);
    if (response.status === 403) {
      await response.body?.cancel();
      throw new InsufficientScopeError({
        required: challengedScope(response.headers.get('www-authenticate')),
        granted: token.scope.toString(),
      });
    }
    if (response.status !== EXPECTED_STATUS[method]) {
      await response.body?.cancel();
      throw unexpectedAnswer(
        `${method} ${shownUrl} answered ${response.status} where SmithCart answers ${EXPECTED_STATUS[method]}`,
        response.status,
      );
    }
    // Read through ky's promise: its errors are grantkit's (a body that is not JSON, a dropped connection).
    return { response, shownUrl, json: () => pending.json() };
  };

  const check = <T>(schema: v.GenericSchema<unknown, T> | undefined, value: unknown, status: number, what: string) =>
    schema ? validateBody(schema as unknown as StandardSchema<T>, value, status, what) : (value as T);

  const readBody = async <T>(method: Method, path: SmithCartPath, body: unknown, options: SmithCartReadOptions<T>) => {
    const { response, shownUrl, json } = await send(method, resolve(path, options.searchParams), body, options);
    return {
      response,
      data: await check(options.schema, await json(), response.status, `The answer to ${method} ${shownUrl}`),
    };
  };

  const listAt = async <T>(url: URL, options: SmithCartReadOptions<T>): Promise<SmithCartPage<T>> => {
    const { response, shownUrl, json: read } = await send('GET', url, undefined, options);
    const json = await read();
    if (!Array.isArray(json)) {
      throw unexpectedAnswer(`The answer to GET ${shownUrl} is not a collection`, response.status, [
        { path: '', message: 'must be a JSON array' },
      ]);
    }
    const items: T[] = [];
    for (const item of json) {
      items.push(await check(options.schema, item, response.status, `An item of the answer to GET ${shownUrl}`));
    }
    const links = parseLinkHeader(response.headers.get('link'), response.url || url.href);
    const find = (rel: string) => links.find((link) => link.rel.includes(rel))?.href;
    return { items, next: find('next'), prev: find('prev') };
  };

  return {
    async get<T>(path: SmithCartPath, options: SmithCartReadOptions<T> = {}): Promise<T> {
      return (await readBody('GET', path, undefined, options)).data;
    },
    async head(path: SmithCartPath, options: SmithCartRequestOptions = {}): Promise<Headers> {
      const { response } = await send('HEAD', resolve(path, options.searchParams), undefined, options);
      return response.headers;
    },
    list<T>(path: SmithCartPath, options: SmithCartReadOptions<T> = {}): Promise<SmithCartPage<T>> {
      return listAt(resolve(path, options.searchParams), options);
    },
    async *paginate<T>(
      path: SmithCartPath,
      options: SmithCartPaginateOptions<T> = {},
    ): AsyncGenerator<SmithCartPage<T>> {
      const { maxPages = 1000, maxItems = Number.POSITIVE_INFINITY } = options;
      for (const [name, value] of [
        ['maxPages', maxPages],
        ['maxItems', maxItems],
      ] as const) {
        if (!(value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0))) {
          throw new ConfigurationError(`\`${name}\` must be a positive whole number; omit it for the default.`);
        }
      }
      const tooLong = (what: string, bound: string) =>
        unexpectedAnswer(`The collection goes on past ${what}; paging stopped. Raise \`${bound}\` to read more`, 200, [
          { path: 'Link', message: `rel="next" went past ${bound}` },
        ]);
      let url: URL | undefined = resolve(path, options.searchParams);
      const visited = new Set<string>();
      let items = 0;
      while (url) {
        visited.add(url.href);
        const page: SmithCartPage<T> = await listAt(url, options);
        items += page.items.length;
        if (items > maxItems) throw tooLong(`${maxItems} items`, 'maxItems');
        yield page;
        if (page.next === undefined) return;
        const next = new URL(page.next);
        // A fragment never reaches the server: #a and #b name the same page.
        next.hash = '';
        if (next.origin !== base.origin) {
          throw unexpectedAnswer(
            `The next page link leads to ${next.origin}, outside the API's origin ${base.origin}; paging stopped there so the token is not sent`,
            200,
            [{ path: 'Link', message: 'rel="next" must stay on the API origin' }],
          );
        }
        if (visited.has(next.href)) {
          throw unexpectedAnswer('The next page link points back to a page already read; paging stopped', 200, [
            { path: 'Link', message: 'rel="next" must not loop' },
          ]);
        }
        if (visited.size >= maxPages) throw tooLong(`${maxPages} pages`, 'maxPages');
        url = next;
      }
    },
    async create<T>(
      path: SmithCartPath,
      body: unknown,
      options: SmithCartReadOptions<T> = {},
    ): Promise<SmithCartCreated<T>> {
      const { response, data } = await readBody('POST', path, body, options);
      const location = response.headers.get('location');
      if (!location) {
        throw unexpectedAnswer('SmithCart created the resource but sent no Location header', response.status, [
          { path: 'Location', message: 'a 201 answer must carry a Location header' },
        ]);
      }
      return { data, location: new URL(location, response.url || base).href };
    },
    async update<T>(path: SmithCartPath, body: unknown, options: SmithCartReadOptions<T> = {}): Promise<T> {
      return (await readBody('PUT', path, body, options)).data;
    },
    async patch<T>(path: SmithCartPath, body: unknown, options: SmithCartReadOptions<T> = {}): Promise<T> {
      return (await readBody('PATCH', path, body, options)).data;
    },
    async delete(path: SmithCartPath, options: SmithCartRequestOptions = {}): Promise<void> {
      const { response } = await send('DELETE', resolve(path, options.searchParams), undefined, options);
      await response.body?.cancel();
    },
    userPath,
  };
}
