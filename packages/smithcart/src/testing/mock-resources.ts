import type { MockSmithCartRecord } from './demo-data.js';
import type { MockOwnerStore, MockState, MockTokenGrant } from './mock-state.js';

const REALM = 'SmithCart';
const MAX_PAGE_SIZE = 100;
const TOP_COLLECTIONS = ['customers', 'payments', 'orders'] as const;
const ORDER_COLLECTIONS = ['line_items', 'attributes'] as const;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Link, Location, WWW-Authenticate, X-Total-Count',
};

type Family = 'users' | 'orders';

/** A resolved resource API path. */
type Route =
  | { kind: 'users' }
  | { kind: 'user'; owner: string }
  | { kind: 'profile'; owner: string }
  | {
      kind: 'collection';
      owner: string;
      list: (store: MockOwnerStore) => MockSmithCartRecord[] | undefined;
      path: string;
    }
  | { kind: 'item'; owner: string; list: (store: MockOwnerStore) => MockSmithCartRecord[] | undefined; id: number };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...CORS, ...headers },
  });
}

function problem(status: number, error: string, description: string, headers: Record<string, string> = {}): Response {
  return json({ error, error_description: description }, status, headers);
}

/** A 401 or 403 with its RFC 6750 §3 challenge. */
function challenge(status: 400 | 401 | 403, error: string | undefined, description: string, scope?: string): Response {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`, `error_description="${description}"`);
  if (scope) params.push(`scope="${scope}"`);
  const body = { error: error ?? 'unauthorized', error_description: description, ...(scope ? { scope } : {}) };
  return json(body, status, { 'www-authenticate': `Bearer ${params.join(', ')}` });
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function positiveId(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
}

/** `name.json` → `name`; anything else → `undefined`. */
function stem(segment: string | undefined): string | undefined {
  return segment?.endsWith('.json') ? segment.slice(0, -'.json'.length) : undefined;
}

function route(segments: readonly string[]): Route | undefined {
  const [root, user, first, second, third, fourth, ...rest] = segments;
  if (root === 'users.json' && segments.length === 1) return { kind: 'users' };
  if (root !== 'users' || user === undefined || rest.length > 0) return undefined;
  if (segments.length === 2) {
    const owner = stem(user);
    return owner ? { kind: 'user', owner } : undefined;
  }
  if (first === 'profile.json' && segments.length === 3) return { kind: 'profile', owner: user };
  const top = TOP_COLLECTIONS.find((name) => name === (second === undefined ? stem(first) : first));
  if (!top) return undefined;
  const ofTop = (store: MockOwnerStore) => store[top];
  if (second === undefined) return { kind: 'collection', owner: user, list: ofTop, path: top };
  if (third === undefined) {
    const id = positiveId(stem(second));
    return id === undefined ? undefined : { kind: 'item', owner: user, list: ofTop, id };
  }
  const orderId = positiveId(second);
  const nested = ORDER_COLLECTIONS.find((name) => name === (fourth === undefined ? stem(third) : third));
  if (top !== 'orders' || orderId === undefined || !nested) return undefined;
  const ofOrder = (store: MockOwnerStore) => {
    const order = store.orders.find((candidate) => candidate.id === orderId);
    if (!order) return undefined;
    order[nested] ??= [];
    return order[nested];
  };
  if (fourth === undefined) {
    return { kind: 'collection', owner: user, list: ofOrder, path: `orders/${orderId}/${nested}` };
  }
  const id = positiveId(stem(fourth));
  return id === undefined ? undefined : { kind: 'item', owner: user, list: ofOrder, id };
}

/** What an order looks like on the wire: its line items and attributes are resources of their own. */
function representation(record: MockSmithCartRecord): MockSmithCartRecord {
  const { line_items: _lines, attributes: _attributes, ...rest } = record;
  return rest as MockSmithCartRecord;
}

function writeScope(method: string): string | undefined {
  if (method === 'POST') return 'create';
  if (method === 'PUT' || method === 'PATCH') return 'edit';
  if (method === 'DELETE') return 'delete';
  return undefined;
}

async function readObject(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = JSON.parse(await request.text());
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function methodNotAllowed(allow: string): Response {
  return problem(405, 'method_not_allowed', `Use one of: ${allow}.`, { allow });
}

/** SmithCart's resource API under `/users/…`, as a handler of the mock. */
export function createResourceApi(state: MockState): (request: Request, url: URL) => Promise<Response> {
  const authenticate = (request: Request): MockTokenGrant | Response => {
    const header = request.headers.get('authorization');
    if (header === null) return challenge(401, undefined, 'Send Authorization: Bearer <access token>.');
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match?.[1]) return challenge(400, 'invalid_request', 'The Authorization header must be Bearer <token>.');
    const grant = state.tokens.get(match[1]);
    if (!grant || grant.expiresAt <= state.now()) {
      return challenge(401, 'invalid_token', 'The access token is unknown or expired; authorize again.');
    }
    return grant;
  };

  const page = (url: URL, items: readonly MockSmithCartRecord[], method: string): Response => {
    const pageParam = url.searchParams.get('page');
    const perPageParam = url.searchParams.get('per_page');
    const pageNumber = pageParam === null ? 1 : positiveId(pageParam);
    const perPage = perPageParam === null ? state.pageSize : positiveId(perPageParam);
    if (pageNumber === undefined || perPage === undefined || perPage > MAX_PAGE_SIZE) {
      return problem(400, 'invalid_request', `page must be a positive integer and per_page 1 to ${MAX_PAGE_SIZE}.`);
    }
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = [link(1, 'first'), link(last, 'last')];
    if (pageNumber < last) links.unshift(link(pageNumber + 1, 'next'));
    if (pageNumber > 1) links.unshift(link(Math.min(pageNumber - 1, last), 'prev'));
    const slice = items.slice((pageNumber - 1) * perPage, pageNumber * perPage).map(representation);
    const headers = { link: links.join(', '), 'x-total-count': String(items.length) };
    return method === 'HEAD'
      ? new Response(null, { status: 200, headers: { ...CORS, ...headers } })
      : json(slice, 200, headers);
  };

  return async (request, url) => {
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...CORS,
          'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
          'access-control-allow-headers': 'Authorization, Content-Type, Accept',
          'access-control-max-age': '600',
        },
      });
    }
    state.stats.apiRequests += 1;
    const grant = authenticate(request);
    if (grant instanceof Response) {
      if (grant.status === 401) state.stats.apiUnauthorized += 1;
      return grant;
    }
    const segments = decodeSegments(url.pathname);
    const target = segments && route(segments);
    if (!target) return problem(404, 'not_found', 'No such resource; see the SmithCart REST documentation.');

    const owner = target.kind === 'users' ? undefined : target.owner === 'me' ? grant.username : target.owner;
    const store = owner === undefined ? undefined : state.owners.get(owner);
    if (owner !== undefined && !store) return problem(404, 'not_found', 'No such user.');

    const family: Family = target.kind === 'collection' || target.kind === 'item' ? 'orders' : 'users';
    const own = owner === grant.username;
    const missing: string[] = [];
    if (!grant.scope.has(family) && !(own && grant.scope.has('private'))) missing.push(own ? 'private' : family);
    const write = writeScope(request.method);
    if (write && !grant.scope.has(write)) missing.push(write);
    if (missing.length > 0) {
      state.stats.apiForbidden += 1;
      return challenge(
        403,
        'insufficient_scope',
        'The access token lacks a scope this request needs.',
        missing.join(' '),
      );
    }

    const method = request.method;
    const head = method === 'HEAD';
    const ok = (body: unknown) => (head ? new Response(null, { status: 200, headers: CORS }) : json(body, 200));

    if (target.kind === 'users') {
      if (method !== 'GET' && !head) return methodNotAllowed('GET, HEAD');
      return page(
        url,
        state.users.map((user, index) => ({ id: index + 1, ...user })),
        method,
      );
    }
    const user = state.users.find((candidate) => candidate.username === owner);
    if (!user || !store) return problem(404, 'not_found', 'No such user.');

    if (target.kind === 'user' || target.kind === 'profile') {
      if (method === 'GET' || head) {
        return ok(target.kind === 'user' ? { ...user } : { username: user.username, ...store.profile });
      }
      if (method !== 'PUT' && method !== 'PATCH') return methodNotAllowed('GET, HEAD, PUT, PATCH');
      const body = await readObject(request);
      if (!body) return problem(400, 'invalid_request', 'Send a JSON object.');
      if (target.kind === 'profile') {
        const { username: _ignored, ...fields } = body;
        store.profile = method === 'PUT' ? fields : { ...store.profile, ...fields };
        return ok({ username: user.username, ...store.profile });
      }
      if (typeof body.name === 'string') user.name = body.name;
      if (typeof body.email === 'string') user.email = body.email;
      return ok({ ...user });
    }

    const records = target.list(store);
    if (!records) return problem(404, 'not_found', 'No such order.');

    if (target.kind === 'collection') {
      if (method === 'GET' || head) return page(url, records, method);
      if (method !== 'POST') return methodNotAllowed('GET, HEAD, POST');
      const body = await readObject(request);
      if (!body) return problem(400, 'invalid_request', 'Send a JSON object.');
      const id = records.reduce((max, record) => Math.max(max, record.id), 0) + 1;
      const created = { ...representation({ ...body, id: 0 }), id };
      records.push(created);
      const location = new URL(`/users/${encodeURIComponent(user.username)}/${target.path}/${id}.json`, url);
      return json(created, 201, { location: location.href });
    }

    const index = records.findIndex((record) => record.id === target.id);
    const record = records[index];
    if (!record) return problem(404, 'not_found', 'No such resource.');
    if (method === 'GET' || head) return ok(representation(record));
    if (method === 'DELETE') {
      records.splice(index, 1);
      return new Response(null, { status: 204, headers: CORS });
    }
    if (method !== 'PUT' && method !== 'PATCH') return methodNotAllowed('GET, HEAD, PUT, PATCH, DELETE');
    const body = await readObject(request);
    if (!body) return problem(400, 'invalid_request', 'Send a JSON object.');
    const base = method === 'PUT' ? {} : representation(record);
    const updated: MockSmithCartRecord = { ...base, ...representation({ ...body, id: 0 }), id: record.id };
    const stored: MockSmithCartRecord = { ...updated };
    for (const key of ORDER_COLLECTIONS) if (record[key] !== undefined) stored[key] = record[key];
    records[index] = stored;
    return ok(updated);
  };
}
