import { ConfigurationError } from '@grantkit/core';
import {
  type MockSmithCartClient,
  type MockSmithCartData,
  type MockSmithCartUser,
  SMITHCART_DEMO_CLIENT,
  SMITHCART_DEMO_DATA,
  SMITHCART_DEMO_USERS,
} from './demo-data.js';
import { createAuthorizeEndpoint, type MockConsentAnswer } from './mock-authorize.js';
import { createResourceApi } from './mock-resources.js';
import type { MockIssuedToken, MockOwnerStore, MockSmithCartStats, MockState } from './mock-state.js';

/** Options of {@link createMockSmithCart}; every one has a demo default. */
export interface MockSmithCartOptions {
  /** Registered applications. Default: {@link SMITHCART_DEMO_CLIENT}. */
  clients?: readonly MockSmithCartClient[] | undefined;
  /** Users who can approve on the consent page. Default: {@link SMITHCART_DEMO_USERS}. */
  users?: readonly MockSmithCartUser[] | undefined;
  /** Resources by owner's username; the mock works on a copy. Default: {@link SMITHCART_DEMO_DATA}. */
  data?: Readonly<MockSmithCartData> | undefined;
  /** Lifetime of issued tokens (`expires_in`). Default 3,600 s, as in the document's example. */
  tokenTtlSeconds?: number | undefined;
  /** Items per collection page unless the request sets `per_page`. Default 20. */
  pageSize?: number | undefined;
  /** The mock's clock in epoch ms, for token expiry. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** What {@link MockSmithCart.issueToken} needs. */
export interface MockTokenRequest {
  username: string;
  /** Granted scopes: a list or a space-separated string. */
  scope: readonly string[] | string;
  /** Lifetime in seconds. Default: the mock's `tokenTtlSeconds`. */
  expiresIn?: number | undefined;
}

/** The mock provider: a fetch handler with counters and controls for tests and demos. */
export interface MockSmithCart {
  (request: Request): Promise<Response>;
  /** Live counters; read them after the requests settle. */
  readonly stats: Readonly<MockSmithCartStats>;
  /** Sets every counter back to 0. */
  resetStats(): void;
  /**
   * Issues a token as an approved consent would, without the browser round
   * trip; returns the fields the redirect fragment would carry.
   */
  issueToken(request: MockTokenRequest): MockIssuedToken;
  /**
   * Answers the consent page of `authorizeUrl` without HTML, as a user would
   * (validation, ticket, decision, token): returns the redirect `Location`,
   * with the token or the error in its fragment, ready for `handleCallback`.
   * @throws {ConfigurationError} where a browser would get an error page
   * (unknown client, unregistered redirect URI) or the answer is refused.
   */
  consent(authorizeUrl: string | URL, answer?: MockConsentAnswer): string;
  /** Makes every token issued so far expired (the API answers 401 `invalid_token`). */
  expireAllTokens(): void;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new ConfigurationError(`\`${name}\` must be a positive integer.`);
  return value;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function emptyStats(): MockSmithCartStats {
  return { authorizeRequests: 0, tokensIssued: 0, apiRequests: 0, apiUnauthorized: 0, apiForbidden: 0 };
}

/**
 * A SmithCart stand-in, as a fetch handler `(request) => Promise<Response>`
 * that mounts in Hono, msw or `serveFetchHandler`. It serves:
 *
 * - the implicit grant's authorize endpoint at `/oauth2/authorize` and
 *   `/oauth2/authorize.json` (the document names both): unknown client or
 *   unregistered `redirect_uri` → an HTML error page, never a redirect; then
 *   `response_type=token` and the scopes are checked (errors go back in the
 *   fragment), and an HTML consent page (no script; a form that POSTs back)
 *   lets the user untick any scope but `public`, approve or deny;
 * - the resource API under `/users/{username}/….json` (`me` is the token's
 *   user): users and profiles (`users` scope), customers, payments, orders,
 *   line items and order attributes (`orders` scope); the owner may use
 *   `private` instead; POST needs `create`, PUT/PATCH `edit`, DELETE `delete`.
 *   Collections answer 200 with an RFC 8288 `Link` header (`?page=`,
 *   `per_page`), POST 201 with `Location`, DELETE 204; a bad token gets 401
 *   and a missing scope 403, both with an RFC 6750 `WWW-Authenticate` challenge.
 *
 * @example
 * ```ts
 * import { serveFetchHandler } from '@grantkit/core/testing';
 * import { createMockSmithCart } from '@grantkit/smithcart/testing';
 *
 * const mock = createMockSmithCart({ pageSize: 10 });
 * const server = await serveFetchHandler(mock);
 * const { access_token } = mock.issueToken({ username: 'ada', scope: 'private orders' });
 * ```
 * @throws {ConfigurationError} when `tokenTtlSeconds` or `pageSize` is not a positive integer.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2
 */
export function createMockSmithCart(options: MockSmithCartOptions = {}): MockSmithCart {
  const ttl = positive(options.tokenTtlSeconds, 3600, 'tokenTtlSeconds');
  const users = (options.users ?? SMITHCART_DEMO_USERS).map((user) => ({ ...user }));
  const data = structuredClone(options.data ?? SMITHCART_DEMO_DATA) as MockSmithCartData;
  const owners = new Map<string, MockOwnerStore>(
    users.map((user) => {
      const owned = data[user.username] ?? {};
      return [
        user.username,
        {
          profile: owned.profile ?? {},
          customers: owned.customers ?? [],
          payments: owned.payments ?? [],
          orders: owned.orders ?? [],
        },
      ];
    }),
  );
  const now = options.now ?? Date.now;
  const state: MockState = {
    clients: options.clients ?? [SMITHCART_DEMO_CLIENT],
    users,
    owners,
    tokens: new Map(),
    stats: emptyStats(),
    pageSize: positive(options.pageSize, 20, 'pageSize'),
    now,
    issue(username, scope, expiresIn = ttl) {
      const token = randomToken();
      state.tokens.set(token, { username, scope: new Set(scope), expiresAt: now() + expiresIn * 1000 });
      state.stats.tokensIssued += 1;
      return { access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: scope.join(' ') };
    },
  };
  const authorize = createAuthorizeEndpoint(state);
  const resources = createResourceApi(state);

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === '/oauth2/authorize' || url.pathname === '/oauth2/authorize.json') {
      return authorize.handle(request, url);
    }
    if (url.pathname === '/users.json' || url.pathname.startsWith('/users/')) return resources(request, url);
    return new Response(JSON.stringify({ error: 'not_found', error_description: 'No such endpoint.' }), {
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  };

  Object.defineProperty(handler, 'stats', { get: () => ({ ...state.stats }), enumerable: true });
  return Object.assign(handler as typeof handler & Pick<MockSmithCart, 'stats'>, {
    resetStats() {
      state.stats = emptyStats();
    },
    issueToken(request: MockTokenRequest): MockIssuedToken {
      if (!owners.has(request.username)) {
        throw new ConfigurationError(`The mock knows no user "${request.username}"; add it to \`users\`.`);
      }
      const scope = typeof request.scope === 'string' ? request.scope.split(' ').filter(Boolean) : request.scope;
      return state.issue(request.username, scope, positive(request.expiresIn, ttl, 'expiresIn'));
    },
    consent(authorizeUrl: string | URL, answer?: MockConsentAnswer): string {
      return authorize.consent(authorizeUrl, answer);
    },
    expireAllTokens() {
      const past = now() - 1;
      for (const grant of state.tokens.values()) grant.expiresAt = past;
    },
  });
}
