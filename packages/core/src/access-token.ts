import * as messages from '#messages';
import { ConfigurationError } from './errors/configuration-error.js';
import { formatInstant } from './format-instant.js';
import { ScopeSet } from './scope-set.js';

/** What {@link AccessToken} needs to be built. */
export interface AccessTokenInit {
  /** The raw token string. Kept private: see {@link AccessToken.expose}. */
  value: string;
  /** When the token stops working, in epoch milliseconds; `undefined` when unknown. */
  expiresAt?: number | undefined;
  /** The granted scopes: a list, or a space-delimited `scope` string (RFC 6749 §3.3), never split into letters. */
  scope?: string | Iterable<string> | undefined;
}

/** The JSON-safe form of a token for a {@link TokenStore}. It holds the raw token: store it as a secret. */
export interface StoredAccessToken {
  accessToken: string;
  tokenType: 'bearer';
  expiresAt?: number;
  scope: string;
}

/**
 * Visible ASCII: what an `Authorization` header can carry (RFC 6750 §2.1 b64token is a subset).
 * Shared with parseTokenResponse; not part of the public entry point.
 */
export const TOKEN_VALUE: RegExp = /^[\x21-\x7E]+$/;

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * An OAuth 2.0 Bearer access token. Immutable; the raw value never shows in
 * `String(token)`, template literals, `JSON.stringify` or `console.log`, which
 * all print a redacted summary. Call {@link AccessToken.expose} when you really
 * need the string.
 *
 * @example
 * ```ts
 * const token = new AccessToken({ value: 'abc', expiresAt: Date.now() + 3600_000, scope: ['private'] });
 * `${token}`; // 'AccessToken(bearer, scope "private", expires 2026-11-22T12:00:00.000Z)'
 * token.authorizationHeader(); // 'Bearer abc'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export class AccessToken {
  readonly tokenType: 'bearer' = 'bearer';
  readonly expiresAt: number | undefined;
  readonly scope: ScopeSet;
  readonly #value: string;

  /**
   * @throws {ConfigurationError} when `value` is empty or not visible ASCII, `expiresAt` is not a
   * finite number, or a scope is not an RFC 6749 §3.3 scope token. The message never shows the value.
   */
  constructor(init: AccessTokenInit) {
    if (typeof init.value !== 'string' || !TOKEN_VALUE.test(init.value)) {
      throw new ConfigurationError(messages.accessTokenValue);
    }
    if (init.expiresAt !== undefined && !Number.isFinite(init.expiresAt)) {
      throw new ConfigurationError(messages.accessTokenExpiresAt);
    }
    this.#value = init.value;
    this.expiresAt = init.expiresAt;
    this.scope = ScopeSet.of(init.scope ?? []);
    // util.inspect / console.log in Node: same redacted summary as toString().
    Object.defineProperty(this, inspectSymbol, { value: () => this.toString() });
    Object.freeze(this);
  }

  /**
   * Whether the token is expired at `now`, or will be within `skewMs`.
   * A token without a known lifetime never counts as expired.
   */
  isExpired(now: number = Date.now(), skewMs = 0): boolean {
    return this.expiresAt !== undefined && now + skewMs >= this.expiresAt;
  }

  /** The `Authorization` header value, `Bearer <token>`. */
  authorizationHeader(): string {
    return `Bearer ${this.#value}`;
  }

  /** The raw token string. Handle it as a secret. */
  expose(): string {
    return this.#value;
  }

  /** The JSON-safe form for a persistent token store. */
  toStorage(): StoredAccessToken {
    const stored: StoredAccessToken = { accessToken: this.#value, tokenType: 'bearer', scope: this.scope.toString() };
    if (this.expiresAt !== undefined) stored.expiresAt = this.expiresAt;
    return stored;
  }

  /**
   * Rebuilds a token saved with {@link AccessToken.toStorage}.
   * @throws {ConfigurationError} when the stored value is malformed.
   */
  static fromStorage(stored: unknown): AccessToken {
    // The constructor checks the value, the expiry and the scope tokens; only the stored shape is checked here.
    const { accessToken, tokenType, expiresAt, scope } = (
      typeof stored === 'object' && stored !== null ? stored : {}
    ) as Partial<Record<keyof StoredAccessToken, unknown>>;
    try {
      if (tokenType === 'bearer' && typeof scope === 'string') {
        return new AccessToken({ value: accessToken as string, expiresAt: expiresAt as number, scope });
      }
    } catch {}
    throw new ConfigurationError(messages.storedTokenMalformed);
  }

  /** The redacted summary, e.g. `AccessToken(bearer, scope "private", expires …)`: never the token. */
  toString(): string {
    const expires = this.expiresAt === undefined ? 'expiry unknown' : `expires ${formatInstant(this.expiresAt)}`;
    return `AccessToken(bearer, scope "${this.scope}", ${expires})`;
  }

  /** `JSON.stringify` gives the same redacted summary as {@link AccessToken.toString}. */
  toJSON(): string {
    return this.toString();
  }
}
