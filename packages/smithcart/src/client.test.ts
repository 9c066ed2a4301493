import { AccessToken, isGrantKitError, parseTokenResponse } from '@grantkit/core';
import { type FetchHandler, type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createSmithCartClient, type SmithCartPage, type SmithCartPaginateOptions } from '@grantkit/smithcart';
import { createMockSmithCart, type MockSmithCartOptions } from '@grantkit/smithcart/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import * as v from 'valibot';

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: FetchHandler): Promise<ServedHandler> {
  const server = await serveFetchHandler(handler);
  servers.push(server);
  return server;
}

/** A mock SmithCart on 127.0.0.1 and a client holding a token it issued with `scope`. */
async function setup(scope: string, options: MockSmithCartOptions = {}) {
  const mock = createMockSmithCart(options);
  const server = await serve(mock);
  const token = parseTokenResponse(mock.issueToken({ username: 'ada', scope }));
  const client = createSmithCartClient({ baseUrl: server.url, token });
  return { mock, server, token, client };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const Order = v.object({ id: v.number(), number: v.string(), total: v.number() });

describe('createSmithCartClient', () => {
  describe('get', () => {
    it('returns the 200 body of a private resource', async () => {
      const { client } = await setup('private');
      await expect(client.get(client.userPath('me', 'orders', '1.json'))).resolves.toMatchObject({
        id: 1,
        number: 'SC-1001',
      });
      await expect(client.get('/users/me.json')).resolves.toMatchObject({ username: 'ada' });
    });

    it('validates the body with the schema given for the call', async () => {
      const { client } = await setup('private');
      const order = await client.get(client.userPath('me', 'orders', '2.json'), { schema: Order });
      expect(order).toEqual({ id: 2, number: 'SC-1002', total: expect.any(Number) });
      const error = await failure(
        client.get(client.userPath('me', 'orders', '2.json'), { schema: v.object({ id: v.string() }) }),
      );
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(error).toMatchObject({ status: 200, issues: [{ path: 'id' }] });
    });

    it('accepts a function that returns the current token', async () => {
      const mock = createMockSmithCart();
      const server = await serve(mock);
      let token = parseTokenResponse(mock.issueToken({ username: 'ada', scope: 'private' }));
      const client = createSmithCartClient({ baseUrl: server.url, token: () => token });
      await expect(client.get('users/me.json')).resolves.toMatchObject({ username: 'ada' });
      token = parseTokenResponse(mock.issueToken({ username: 'grace', scope: 'private' }));
      await expect(client.get('users/me.json')).resolves.toMatchObject({ username: 'grace' });
    });

    it('keeps a path prefix of baseUrl', async () => {
      const mock = createMockSmithCart();
      const seen: string[] = [];
      const server = await serve((request) => {
        const url = new URL(request.url);
        seen.push(url.pathname);
        return mock(new Request(new URL(url.pathname.replace(/^\/api/, '') + url.search, url), request));
      });
      const token = parseTokenResponse(mock.issueToken({ username: 'ada', scope: 'private' }));
      const client = createSmithCartClient({ baseUrl: `${server.url}/api`, token });
      await client.get(client.userPath('me.json'));
      expect(seen).toEqual(['/api/users/me.json']);
    });
  });

  describe('head', () => {
    it('returns the headers of a 200 answer', async () => {
      const { client } = await setup('private orders');
      const headers = await client.head(client.userPath('me', 'orders.json'));
      expect(headers.get('x-total-count')).toBe('30');
      expect(headers.get('link')).toContain('rel="next"');
    });
  });

  describe('list', () => {
    it('returns one page with next and prev from the Link header, as absolute URLs', async () => {
      const { client, server } = await setup('private', { pageSize: 10 });
      const first = await client.list(client.userPath('me', 'orders.json'), { schema: Order });
      expect(first.items.map((order) => order.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(first.prev).toBeUndefined();
      expect(first.next).toBe(`${server.url}/users/me/orders.json?page=2`);
      const second = await client.list(first.next as string);
      expect(second.prev).toBe(`${server.url}/users/me/orders.json?page=1`);
      expect(second.next).toBe(`${server.url}/users/me/orders.json?page=3`);
    });

    it('passes searchParams on', async () => {
      const { client } = await setup('private');
      const page = await client.list(client.userPath('me', 'orders.json'), { searchParams: { per_page: 5, page: 6 } });
      expect(page.items).toHaveLength(5);
      expect(page.next).toBeUndefined();
    });

    it('fails with InvalidResponseError when the body is not an array', async () => {
      const { client } = await setup('private');
      const error = await failure(client.list(client.userPath('me.json')));
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
    });
  });

  describe('paginate', () => {
    it('visits each of 250 orders exactly once at page size 20', async () => {
      const orders = Array.from({ length: 250 }, (_, index) => ({ id: index + 1, number: `N${index + 1}`, total: 1 }));
      const { client, mock } = await setup('private', { pageSize: 20, data: { ada: { orders } } });
      const pages: SmithCartPage<v.InferOutput<typeof Order>>[] = [];
      for await (const page of client.paginate(client.userPath('me', 'orders.json'), { schema: Order })) {
        pages.push(page);
      }
      const ids = pages.flatMap((page) => page.items.map((order) => order.id));
      expect(pages).toHaveLength(13);
      expect(ids).toEqual(orders.map((order) => order.id));
      expect(mock.stats.apiRequests).toBe(13);
    });

    it('refuses to follow a next link to another origin, and never calls it', async () => {
      let elsewhere = 0;
      const other = await serve(() => {
        elsewhere += 1;
        return Response.json([]);
      });
      const api = await serve((request) => {
        expect(request.headers.get('authorization')).toMatch(/^Bearer /);
        return Response.json([{ id: 1 }], {
          headers: { link: `<${other.url}/users/me/orders.json?page=2>; rel="next"` },
        });
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      const seen: unknown[] = [];
      const error = await failure(
        (async () => {
          for await (const page of client.paginate('users/me/orders.json')) seen.push(...page.items);
        })(),
      );
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(String(error)).toContain('outside the API');
      expect(seen).toEqual([{ id: 1 }]);
      expect(elsewhere).toBe(0);
    });

    it('stops with InvalidResponseError when next leads back to a page already read', async () => {
      let calls = 0;
      const api = await serve((request) => {
        calls += 1;
        const page = new URL(request.url).searchParams.get('page') === '2' ? 1 : 2;
        return Response.json([], { headers: { link: `</orders.json?page=${page}>; rel=next` } });
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      const error = await failure(
        (async () => {
          for await (const _page of client.paginate('orders.json?page=1')) {
            // reading every page
          }
        })(),
      );
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(calls).toBe(2);
    });

    /** Reads every page of `path`, returning the pages seen and the error that ended the loop (if any). */
    async function readAll(
      client: ReturnType<typeof createSmithCartClient>,
      path: string,
      options: SmithCartPaginateOptions<unknown> = {},
    ) {
      const pages: SmithCartPage<unknown>[] = [];
      const error = await (async () => {
        for await (const page of client.paginate(path, options)) pages.push(page);
      })().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      return { pages, error };
    }

    it('stops with InvalidResponseError when next is the same page with another #fragment', async () => {
      let calls = 0;
      const api = await serve(() => {
        calls += 1;
        return Response.json([{ id: 1 }], { headers: { link: `</orders.json?page=1#n${calls}>; rel=next` } });
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      const { pages, error } = await readAll(client, 'orders.json?page=1', { maxPages: 50 });
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(String(error)).toContain('already read');
      expect(pages).toHaveLength(1);
      expect(calls).toBe(1);
    });

    it('stops after maxPages pages when every next link is new, with InvalidResponseError naming maxPages', async () => {
      let calls = 0;
      const api = await serve((request) => {
        calls += 1;
        const page = Number(new URL(request.url).searchParams.get('page'));
        return Response.json([{ id: page }], { headers: { link: `</orders.json?page=${page + 1}>; rel=next` } });
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      const { pages, error } = await readAll(client, 'orders.json?page=1', { maxPages: 5 });
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(String(error)).toContain('maxPages');
      expect(error).toMatchObject({ issues: [{ path: 'Link' }] });
      expect(pages).toHaveLength(5);
      expect(calls).toBe(5);
    });

    it('stops after 1,000 pages by default', async () => {
      let calls = 0;
      const api = await serve((request) => {
        calls += 1;
        const page = Number(new URL(request.url).searchParams.get('page'));
        return Response.json([], { headers: { link: `</orders.json?page=${page + 1}>; rel=next` } });
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      const { pages, error } = await readAll(client, 'orders.json?page=1');
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(pages).toHaveLength(1000);
      expect(calls).toBe(1000);
    }, 60_000);

    it('stops with InvalidResponseError naming maxItems before yielding more than maxItems items', async () => {
      const { client, mock } = await setup('private', { pageSize: 10 });
      const { pages, error } = await readAll(client, client.userPath('me', 'orders.json'), { maxItems: 15 });
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(String(error)).toContain('maxItems');
      expect(pages.flatMap((page) => page.items)).toHaveLength(10);
      expect(mock.stats.apiRequests).toBe(2);
    });

    it('reads a collection that fits maxPages and maxItems exactly', async () => {
      const { client } = await setup('private', { pageSize: 10 });
      const { pages, error } = await readAll(client, client.userPath('me', 'orders.json'), {
        maxPages: 3,
        maxItems: 30,
      });
      expect(error).toBeUndefined();
      expect(pages.flatMap((page) => page.items)).toHaveLength(30);
    });

    it.each([[0], [-1], [1.5], [Number.NaN]])('refuses maxPages %p with ConfigurationError', async (maxPages) => {
      const { client, mock } = await setup('private');
      const { error } = await readAll(client, client.userPath('me', 'orders.json'), { maxPages });
      expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      expect(mock.stats.apiRequests).toBe(0);
    });
  });

  describe('create', () => {
    it('returns the 201 body and the Location of the new resource', async () => {
      const { client, server } = await setup('private create');
      const created = await client.create(client.userPath('me', 'customers.json'), { name: 'Hertha Ayrton' });
      expect(created).toEqual({
        data: { id: 4, name: 'Hertha Ayrton' },
        location: `${server.url}/users/ada/customers/4.json`,
      });
      await expect(client.get(created.location)).resolves.toEqual({ id: 4, name: 'Hertha Ayrton' });
    });

    it('fails with InvalidResponseError when a 201 carries no Location', async () => {
      const api = await serve(() => Response.json({ id: 1 }, { status: 201 }));
      const token = new AccessToken({ value: 'opaque-token', scope: ['create'] });
      const client = createSmithCartClient({ baseUrl: api.url, token });
      const error = await failure(client.create('users/me/orders.json', {}));
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
    });
  });

  describe('update and patch', () => {
    it('PUT replaces and PATCH merges, each answering 200 with the resource', async () => {
      const { client } = await setup('private edit');
      const path = client.userPath('me', 'customers', '1.json');
      await expect(client.patch(path, { email: 'ab@example.com' })).resolves.toEqual({
        id: 1,
        name: 'Charles Babbage',
        email: 'ab@example.com',
      });
      await expect(client.update(path, { name: 'C. Babbage' })).resolves.toEqual({ id: 1, name: 'C. Babbage' });
      await expect(client.get(path)).resolves.toEqual({ id: 1, name: 'C. Babbage' });
    });
  });

  describe('delete', () => {
    it('resolves on 204, after which the resource is gone (HttpError 404)', async () => {
      const { client } = await setup('private delete');
      const path = client.userPath('me', 'payments', '2.json');
      await expect(client.delete(path)).resolves.toBeUndefined();
      const error = await failure(client.get(path));
      expect(isGrantKitError(error, 'http_error')).toBe(true);
      expect(error).toMatchObject({ status: 404, method: 'GET' });
    });

    it('fails with InvalidResponseError when the server answers 200 instead of 204', async () => {
      const api = await serve(() => Response.json({ deleted: true }));
      const token = new AccessToken({ value: 'opaque-token', scope: ['delete'] });
      const client = createSmithCartClient({ baseUrl: api.url, token });
      const error = await failure(client.delete('users/me/orders/1.json'));
      expect(isGrantKitError(error, 'invalid_response')).toBe(true);
      expect(error).toMatchObject({ status: 200 });
    });
  });

  describe('when the token has expired', () => {
    it('throws TokenExpiredError before sending anything', async () => {
      const { mock, server } = await setup('private');
      const expired = new AccessToken({ value: 'expired-token', expiresAt: Date.now() - 1000, scope: ['private'] });
      const client = createSmithCartClient({ baseUrl: server.url, token: expired });
      const error = await failure(client.get(client.userPath('me', 'orders.json')));
      expect(isGrantKitError(error, 'token_expired')).toBe(true);
      expect(error).toMatchObject({ expiredAt: expired.expiresAt });
      expect(mock.stats.apiRequests).toBe(0);
    });
  });

  describe('when a write needs a scope that was not granted', () => {
    it.each([
      ['create', 'POST'],
      ['update', 'PUT'],
      ['patch', 'PATCH'],
      ['delete', 'DELETE'],
    ] as const)('%s (%s) throws InsufficientScopeError before sending anything', async (method, _verb) => {
      const { mock, client: narrow } = await setup('private orders');
      const client = narrow;
      const path = client.userPath('me', 'orders', '1.json');
      const call =
        method === 'delete'
          ? narrow.delete(path)
          : method === 'create'
            ? narrow.create(client.userPath('me', 'orders.json'), {})
            : narrow[method](path, {});
      const error = await failure(call);
      expect(isGrantKitError(error, 'insufficient_scope')).toBe(true);
      const required = { create: 'create', update: 'edit', patch: 'edit', delete: 'delete' }[method];
      expect(error).toMatchObject({ required, granted: 'private orders' });
      expect(mock.stats.apiRequests).toBe(0);
    });
  });

  describe('when SmithCart answers 403', () => {
    it('throws InsufficientScopeError with the scope from WWW-Authenticate', async () => {
      const { client, mock } = await setup('public');
      const own = await failure(client.get(client.userPath('me', 'orders.json')));
      expect(isGrantKitError(own, 'insufficient_scope')).toBe(true);
      expect(own).toMatchObject({ required: 'private', granted: 'public' });
      const others = await failure(client.get(client.userPath('grace', 'orders.json')));
      expect(others).toMatchObject({ required: 'orders', granted: 'public' });
      expect(mock.stats.apiForbidden).toBe(2);
    });
  });

  describe('when SmithCart refuses the token with 401', () => {
    it('throws HttpError 401 that holds no part of the token', async () => {
      const { client, mock, token } = await setup('private');
      mock.expireAllTokens();
      const error = await failure(client.get(client.userPath('me.json')));
      expect(isGrantKitError(error, 'http_error')).toBe(true);
      expect(error).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
      const shown = JSON.stringify(error) + String(error) + (error as Error).stack;
      expect(shown).not.toContain(token.expose());
    });
  });

  describe('when SmithCart does not answer in time', () => {
    it('throws TimeoutError with the timeout given', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const api = await serve(async () => {
        await held;
        return Response.json({});
      });
      const client = createSmithCartClient({
        baseUrl: api.url,
        token: new AccessToken({ value: 'opaque-token' }),
        timeout: 50,
      });
      const error = await failure(client.get('users/me.json'));
      release();
      expect(isGrantKitError(error, 'timeout')).toBe(true);
      expect(error).toMatchObject({ timeoutMs: 50 });
    });
  });

  describe('paths', () => {
    it('sends userPath segments encoded, so ../admin and a/b stay inside one segment', async () => {
      const seen: string[] = [];
      const api = await serve((request) => {
        seen.push(new URL(request.url).pathname);
        return Response.json({});
      });
      const client = createSmithCartClient({ baseUrl: api.url, token: new AccessToken({ value: 'opaque-token' }) });
      await client.get(client.userPath('me', '../admin'));
      await client.get(client.userPath('a/b', '%2F.json'));
      expect(seen).toEqual(['/users/me/..%2Fadmin', '/users/a%2Fb/%252F.json']);
    });

    it('refuses an absolute URL on another origin with ConfigurationError, sending nothing', async () => {
      const { client, mock } = await setup('private');
      for (const path of ['https://evil.example/users/me.json', '\\\\evil.example/users/me.json']) {
        const error = await failure(client.get(path));
        expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      }
      expect(mock.stats.apiRequests).toBe(0);
    });

    it('refuses a plain-http baseUrl that is not loopback', () => {
      expect(() =>
        createSmithCartClient({ baseUrl: 'http://api.example.com', token: new AccessToken({ value: 'x' }) }),
      ).toThrow(/https/);
    });
  });
});
