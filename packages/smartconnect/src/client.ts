import { type AccessToken, ConfigurationError, MemoryTokenStore, type TokenStore } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import type { KyInstance, Options } from 'ky';
import * as messages from '#messages';
import { assertNotInBrowser } from './browser-guard.js';
import { assertCredentials, type SmartConnectCredentials } from './credentials.js';
import { passwordGrant, timeoutOption } from './password-grant.js';
import { resolveApiRoot, type SmartConnectTarget } from './regions.js';
import { deriveStoreKey } from './store-key.js';
import { createTokenCache, type TokenRetryOptions } from './token-cache.js';

/** Settings of {@link createSmartConnectClient} besides the region or base URL. */
export interface SmartConnectClientSettings {
  /** Who signs in. Keep these outside source code (environment, secret manager). */
  credentials: SmartConnectCredentials;
  /**
   * Where tokens are kept, under the key `smartconnect:` + a SHA-256 digest
   * (base64url) of the API root and all four credentials: no credential is
   * stored in clear, and a client with another password or client secret
   * misses the stored token and has to sign in. Default: a new
   * {@link MemoryTokenStore}. Share a persistent store between processes to
   * share one token.
   */
  tokenStore?: TokenStore | undefined;
  /** Renew this long before the token expires. Default 60,000 ms. */
  renewBeforeMs?: number | undefined;
  /** Allow running in a browser, where the client secret would be public. Default `false`. */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** A `fetch` for both the token endpoint and the API. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout in ms for the token endpoint and the API, or `false`. Default 10,000. */
  timeout?: number | false | undefined;
  /** Retries of a token endpoint that failed transiently (network, 5xx, 429). */
  tokenRetry?: TokenRetryOptions | undefined;
  /** The clock, in epoch ms, used to decide when a token is due for renewal. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Other ky options for `api` (`headers`, `hooks`, `retry`, …). */
  kyOptions?: Omit<Options, 'prefixUrl' | 'fetch' | 'timeout'> | undefined;
}

/** Options of {@link createSmartConnectClient}: a region or a base URL, plus settings. */
export type SmartConnectClientOptions = SmartConnectTarget & SmartConnectClientSettings;

/** What {@link createSmartConnectClient} returns. */
export interface SmartConnectClient {
  /**
   * A ky instance rooted at the region's host that adds the Bearer token to
   * every request and rejects with grantkit's typed errors.
   */
  readonly api: KyInstance;
  /** The current token, requesting or renewing it first if needed. */
  getToken(): Promise<AccessToken>;
  /** Forgets the token, here and in the token store. The next request signs in again. */
  signOut(): Promise<void>;
}

const DEFAULT_RENEW_BEFORE_MS = 60_000;

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(messages.optionNotNonNegative(name));
  }
  return value;
}

/**
 * A SmartConnect API client that signs in with the password grant on first
 * use, keeps the token in a {@link TokenStore}, renews it shortly before it
 * expires (from `expires_in`, else the JWT `exp`, else after a 401), and on a
 * 401 renews once and retries. Concurrent requests share one token request;
 * refused credentials (`invalid_grant`, `invalid_client`) are never sent again
 * until {@link SmartConnectClient.signOut}.
 *
 * Server-side only: it refuses to start in a browser unless
 * `dangerouslyAllowBrowser` is `true`.
 *
 * @example
 * ```ts
 * const smartconnect = createSmartConnectClient({
 *   region: 'NA',
 *   credentials: {
 *     username: process.env.SMARTCONNECT_USERNAME!,
 *     password: process.env.SMARTCONNECT_PASSWORD!,
 *     clientId: process.env.SMARTCONNECT_CLIENT_ID!,
 *     clientSecret: process.env.SMARTCONNECT_CLIENT_SECRET!,
 *   },
 * });
 * const me = await smartconnect.api.get('api/v1/me').json();
 * ```
 * @throws {ConfigurationError} for a missing credential, an unknown region, an insecure
 *   base URL, a bad option, or in a browser.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function createSmartConnectClient(options: SmartConnectClientOptions): SmartConnectClient {
  assertNotInBrowser(options.dangerouslyAllowBrowser);
  const root = resolveApiRoot(options);
  const credentials = assertCredentials(options.credentials, 'credentials.');
  const endpoint = new URL('token', root);
  const timeout = timeoutOption(options.timeout);
  const { fetch: fetchImpl, kyOptions = {} } = options;
  const now = options.now ?? Date.now;
  const retry = options.tokenRetry ?? {};

  let storeKey: Promise<string> | undefined;
  const tokens = createTokenCache({
    // Derived once, on first use: creating a client stays synchronous and sends nothing.
    key: () => {
      storeKey ??= deriveStoreKey(root, credentials);
      return storeKey;
    },
    store: options.tokenStore ?? new MemoryTokenStore(),
    renewBeforeMs: nonNegative(options.renewBeforeMs, DEFAULT_RENEW_BEFORE_MS, 'renewBeforeMs'),
    now,
    retry: {
      limit: Math.floor(nonNegative(retry.limit, 3, 'tokenRetry.limit')),
      baseDelayMs: nonNegative(retry.baseDelayMs, 200, 'tokenRetry.baseDelayMs'),
      maxDelayMs: nonNegative(retry.maxDelayMs, 2_000, 'tokenRetry.maxDelayMs'),
    },
    request: passwordGrant(endpoint, credentials, { fetch: fetchImpl, timeout, now }),
  });

  const api = createBearerClient({
    ...kyOptions,
    prefixUrl: root,
    getToken: tokens.current,
    refreshToken: tokens.renewAfterRejection,
    // Looked up per request, as for the token endpoint, so a global fetch replaced later is used by both.
    fetch: fetchImpl ?? ((input, init) => globalThis.fetch(input, init)),
    timeout,
  });

  return {
    api,
    getToken: async () => tokens.current(),
    signOut: () => tokens.clear(),
  };
}
