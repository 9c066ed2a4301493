import type { MockSmithCartClient, MockSmithCartOrder, MockSmithCartRecord, MockSmithCartUser } from './demo-data.js';

/** Live counters of a mock SmithCart. */
export interface MockSmithCartStats {
  /** Requests to the authorize endpoint (GET and consent POST), whatever their outcome. */
  authorizeRequests: number;
  /** Tokens issued, by consent or by `issueToken`. */
  tokensIssued: number;
  /** Requests to the resource API, whatever their outcome. */
  apiRequests: number;
  /** Resource API requests refused with 401. */
  apiUnauthorized: number;
  /** Resource API requests refused with 403 `insufficient_scope`. */
  apiForbidden: number;
}

/** A token the mock issued, as the authorize redirect's fragment carries it (RFC 6749 §4.2.2). */
export interface MockIssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  /** The granted scopes, space-separated. */
  scope: string;
}

/** What the mock knows about a token it issued. */
export interface MockTokenGrant {
  username: string;
  scope: ReadonlySet<string>;
  expiresAt: number;
}

/** One user's resources inside a running mock (its own copy, changed by writes). */
export interface MockOwnerStore {
  profile: Record<string, unknown>;
  customers: MockSmithCartRecord[];
  payments: MockSmithCartRecord[];
  orders: MockSmithCartOrder[];
}

/** The state the authorize endpoint and the resource API share. */
export interface MockState {
  clients: readonly MockSmithCartClient[];
  users: MockSmithCartUser[];
  owners: Map<string, MockOwnerStore>;
  tokens: Map<string, MockTokenGrant>;
  stats: MockSmithCartStats;
  pageSize: number;
  now: () => number;
  issue(username: string, scope: readonly string[], expiresIn?: number): MockIssuedToken;
}
