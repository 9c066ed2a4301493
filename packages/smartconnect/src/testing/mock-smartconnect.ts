import { ConfigurationError } from '@grantkit/core';
import {
  type MockSmartConnectClient,
  type MockSmartConnectUser,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './demo-accounts.js';
import { createJwtSigner, randomToken } from './sign-jwt.js';

/** Options of {@link createMockSmartConnect}; every one has a demo default. */
export interface MockSmartConnectOptions {
  /** Users who can sign in. Default: {@link SMARTCONNECT_DEMO_USER}. */
  users?: readonly MockSmartConnectUser[] | undefined;
  /** Registered REST applications. Default: {@link SMARTCONNECT_DEMO_CLIENT}. */
  clients?: readonly MockSmartConnectClient[] | undefined;
  /** How long an issued token works. Default 3,600 s. */
  tokenTtlSeconds?: number | undefined;
  /**
   * Issue HS256 JWTs (with `exp`) like the document's example token, rather
   * than opaque random strings. Default `true`.
   */
  issueJwt?: boolean | undefined;
  /** Add `expires_in` to token responses. The document's example has none, so default `false`. */
  includeExpiresIn?: boolean | undefined;
  /** The mock's clock in epoch ms, for expiry. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** A canned failure for {@link MockSmartConnect.failNextTokenRequests}. */
export interface MockTokenFailure {
  /** The HTTP status. Default 500. */
  status?: number | undefined;
  /** An HTML error page (default), JSON cut off half-way, or nothing. */
  body?: 'html' | 'truncated-json' | 'empty' | undefined;
}

/** Live counters of a {@link MockSmartConnect}. */
export interface MockSmartConnectStats {
  /** Requests that reached `/token`, whatever their outcome. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests to the sample API, whatever their outcome. */
  apiRequests: number;
  /** Sample API requests refused with 401. */
  apiUnauthorized: number;
}

/** The mock provider: a fetch handler with counters and controls for tests and demos. */
export interface MockSmartConnect {
  (request: Request): Promise<Response>;
  /** Live counters; read them after the requests settle. */
  readonly stats: Readonly<MockSmartConnectStats>;
  /** Sets every counter back to 0. */
  resetStats(): void;
  /** Makes every token issued so far invalid (the API answers 401 `invalid_token`). */
  revokeAllTokens(): void;
  /** Changes a user's password and, as a password change does, revokes that user's tokens. */
  setPassword(username: string, password: string): void;
  /** Answers the next `count` token requests with `failure` instead of processing them. */
  failNextTokenRequests(count: number, failure?: MockTokenFailure): void;
  /** Waits this long before answering each token request (0 to stop). */
  setTokenDelay(ms: number): void;
}

interface IssuedToken {
  username: string;
  expiresAt: number;
}

const REALM = 'SmartConnect';
const FORM = 'application/x-www-form-urlencoded';
const PASSWORD_GRANT_PARAMETERS = ['username', 'password', 'client_id', 'client_secret'] as const;
// RFC 6750 §2.1 b64token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const SAMPLE_CONTACTS = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Engines Ltd' },
  { id: 2, name: 'Grace Hopper', email: 'grace@example.com', company: 'COBOL Systems' },
  { id: 3, name: 'Alan Turing', email: 'alan@example.com', company: 'Bletchley Computing' },
];

const TOKEN_HEADERS = {
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
};

const ERROR_PAGE =
  "<!DOCTYPE html><html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1></body></html>";

/** An RFC 6749 §5.2 error response, with the §5.1 cache headers. */
function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { ...TOKEN_HEADERS, ...headers },
  });
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

/** Compares two strings without stopping at the first difference. */
function sameSecret(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < left.length; i += 1) difference |= (left[i] ?? 0) ^ (right[i % right.length] ?? 0);
  return difference === 0;
}

function failureResponse(failure: MockTokenFailure): Response {
  const status = failure.status ?? 500;
  const body = failure.body ?? 'html';
  if (body === 'empty') return new Response(null, { status });
  if (body === 'truncated-json') {
    return new Response('{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6Ik', { status, headers: TOKEN_HEADERS });
  }
  return new Response(ERROR_PAGE, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(`\`${name}\` must be a positive number.`);
  return value;
}

/**
 * A SmartConnect stand-in, as a fetch handler `(request) => Promise<Response>`
 * that mounts in Hono, msw or `serveFetchHandler`. It implements:
 *
 * - `POST /token` exactly as SmartConnect's authentication guide says: an
 *   `application/x-www-form-urlencoded` body with `grant_type=password`,
 *   `username`, `password`, `client_id` and `client_secret`, all required;
 *   errors per RFC 6749 §5.2 (`invalid_request` 400, `invalid_client` 401 with
 *   `WWW-Authenticate`, `invalid_grant` 400, `unsupported_grant_type` 400);
 *   success as `{ access_token, token_type: "bearer" }` with `Cache-Control: no-store`.
 * - A Bearer-protected sample API (RFC 6750): `GET /api/v1/me`,
 *   `GET /api/v1/contacts`, `POST /api/v1/contacts` (JSON, 201), `GET /api/v1/contacts/{id}`; a missing, unknown,
 *   expired or revoked token gets 401 with `WWW-Authenticate: Bearer …`.
 *
 * @example
 * ```ts
 * const mock = createMockSmartConnect();
 * const server = await serveFetchHandler(mock);
 * const client = createSmartConnectClient({
 *   baseUrl: server.url,
 *   credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
 * });
 * await client.api.get('api/v1/me').json(); // { username: 'demo@example.com', … }
 * mock.stats.tokenRequests; // 1
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function createMockSmartConnect(options: MockSmartConnectOptions = {}): MockSmartConnect {
  const users = new Map<string, MockSmartConnectUser>();
  for (const user of options.users ?? [SMARTCONNECT_DEMO_USER]) users.set(user.username, { ...user });
  const clients = new Map<string, MockSmartConnectClient>();
  for (const client of options.clients ?? [SMARTCONNECT_DEMO_CLIENT]) clients.set(client.clientId, { ...client });
  const ttlMs = positive(options.tokenTtlSeconds, 3_600, 'tokenTtlSeconds') * 1000;
  const issueJwt = options.issueJwt ?? true;
  const includeExpiresIn = options.includeExpiresIn ?? false;
  const now = options.now ?? Date.now;
  const sign = createJwtSigner();

  const tokens = new Map<string, IssuedToken>();
  const contacts = SAMPLE_CONTACTS.map((contact) => ({ ...contact }));
  const stats: MockSmartConnectStats = { tokenRequests: 0, tokensIssued: 0, apiRequests: 0, apiUnauthorized: 0 };
  const failures: MockTokenFailure[] = [];
  let tokenDelayMs = 0;

  async function issue(username: string, clientId: string): Promise<Response> {
    const issuedAt = now();
    const expiresAt = issuedAt + ttlMs;
    const value = issueJwt
      ? await sign({
          iss: 'https://mock.smartconnect.invalid',
          sub: username,
          client_id: clientId,
          iat: Math.floor(issuedAt / 1000),
          exp: Math.floor(expiresAt / 1000),
          jti: randomToken(12),
        })
      : randomToken(32);
    for (const [token, issued] of tokens) if (issued.expiresAt <= issuedAt) tokens.delete(token);
    tokens.set(value, { username, expiresAt });
    stats.tokensIssued += 1;
    const body: Record<string, unknown> = { access_token: value, token_type: 'bearer' };
    if (includeExpiresIn) body.expires_in = Math.floor(ttlMs / 1000);
    return new Response(JSON.stringify(body), { status: 200, headers: TOKEN_HEADERS });
  }

  async function tokenEndpoint(request: Request): Promise<Response> {
    stats.tokenRequests += 1;
    if (tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
    const failure = failures.shift();
    if (failure) return failureResponse(failure);

    // RFC 6749 §3.2: the client MUST use POST.
    if (request.method !== 'POST') {
      return oauthError(405, 'invalid_request', 'The token endpoint accepts POST only.', { allow: 'POST' });
    }
    // The document puts every parameter in the form body; credentials in a URL end up in logs.
    if (new URL(request.url).search) {
      return oauthError(400, 'invalid_request', 'Send the parameters in the form body, not in the URL.');
    }
    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== FORM) {
      return oauthError(400, 'invalid_request', `The request body must be ${FORM}.`);
    }
    // RFC 6749 §2.3: one client authentication method per request; SmartConnect's is the body.
    if (request.headers.has('authorization')) {
      return oauthError(400, 'invalid_request', 'Send client_id and client_secret in the body only.');
    }
    const form = new URLSearchParams(await request.text());
    // RFC 6749 §3.1: parameters MUST NOT repeat; empty ones count as omitted.
    for (const name of new Set(form.keys())) {
      if (form.getAll(name).length > 1) return oauthError(400, 'invalid_request', `The ${name} parameter repeats.`);
    }
    const param = (name: string) => form.get(name) || undefined;
    const grantType = param('grant_type');
    if (grantType === undefined) return oauthError(400, 'invalid_request', 'The grant_type parameter is missing.');
    if (grantType !== 'password') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be password.');
    }
    for (const name of PASSWORD_GRANT_PARAMETERS) {
      if (param(name) === undefined) return oauthError(400, 'invalid_request', `The ${name} parameter is missing.`);
    }
    const client = clients.get(param('client_id') as string);
    if (!client || !sameSecret(param('client_secret') as string, client.clientSecret)) {
      return oauthError(401, 'invalid_client', 'The client_id or client_secret is incorrect.', {
        'www-authenticate': `Basic realm="${REALM}"`,
      });
    }
    const user = users.get(param('username') as string);
    if (!user || !sameSecret(param('password') as string, user.password)) {
      return oauthError(400, 'invalid_grant', 'The user name or password is incorrect.');
    }
    return issue(user.username, client.clientId);
  }

  function unauthorized(description?: string): Response {
    stats.apiUnauthorized += 1;
    // RFC 6750 §3.1: no error code when the request carried no token at all.
    const challenge = description
      ? `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`
      : `Bearer realm="${REALM}"`;
    return json({ message: 'Authorization has been denied for this request.' }, 401, { 'www-authenticate': challenge });
  }

  async function sampleApi(request: Request, path: string): Promise<Response> {
    stats.apiRequests += 1;
    const authorization = request.headers.get('authorization') ?? '';
    if (!/^bearer /i.test(authorization)) return unauthorized();
    const value = authorization.slice(7).trim();
    if (!B64TOKEN.test(value)) {
      return json({ message: 'The Authorization header is malformed.' }, 400, {
        'www-authenticate': `Bearer realm="${REALM}", error="invalid_request"`,
      });
    }
    const issued = tokens.get(value);
    if (!issued) return unauthorized('The access token is invalid or was revoked');
    if (now() >= issued.expiresAt) return unauthorized('The access token expired');
    if (path === '/api/v1/contacts' && request.method === 'POST') return createContact(request);
    if (request.method !== 'GET') return json({ message: 'Only GET is supported here.' }, 405, { allow: 'GET' });
    if (path === '/api/v1/me') {
      const user = users.get(issued.username);
      return json({ username: issued.username, displayName: user?.displayName ?? issued.username });
    }
    if (path === '/api/v1/contacts') return json(contacts);
    const match = /^\/api\/v1\/contacts\/(\d+)$/.exec(path);
    const contact = match && contacts.find((item) => String(item.id) === match[1]);
    if (contact) return json(contact);
    return json({ message: `No resource at ${path}.` }, 404);
  }

  async function createContact(request: Request): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      body = undefined;
    }
    const { name, email, company } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (
      typeof name !== 'string' ||
      typeof email !== 'string' ||
      (company !== undefined && typeof company !== 'string')
    ) {
      return json({ message: 'Send a JSON object with string name and email (and optionally company).' }, 400);
    }
    const contact = { id: contacts.length + 1, name, email, company: company ?? '' };
    contacts.push(contact);
    return json(contact, 201, { location: `/api/v1/contacts/${contact.id}` });
  }

  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/token') return tokenEndpoint(request);
    if (path.startsWith('/api/')) return sampleApi(request, path);
    return json({ message: `No resource at ${path}.` }, 404);
  };

  return Object.assign(handler, {
    stats: stats as Readonly<MockSmartConnectStats>,
    resetStats() {
      stats.tokenRequests = 0;
      stats.tokensIssued = 0;
      stats.apiRequests = 0;
      stats.apiUnauthorized = 0;
    },
    revokeAllTokens() {
      tokens.clear();
    },
    setPassword(username: string, password: string) {
      const user = users.get(username);
      if (!user) throw new ConfigurationError('No such user in this mock; add it through the `users` option.');
      user.password = password;
      for (const [token, issued] of tokens) if (issued.username === username) tokens.delete(token);
    },
    failNextTokenRequests(count: number, failure: MockTokenFailure = {}) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    setTokenDelay(ms: number) {
      tokenDelayMs = ms;
    },
  });
}
