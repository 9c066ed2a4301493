import {
  type AccessToken,
  HttpError,
  NetworkError,
  OAuthError,
  type TokenAcquireOutcome,
  type TokenAcquireReason,
  type TokenStore,
  type VersionedToken,
} from '@grantkit/core';
import { publish, type TokenAcquisition, traceTokenAcquire } from '@grantkit/core/internal';

/** How the client retries a token endpoint that failed for a transient reason. */
export interface TokenRetryOptions {
  /** Retries after the first attempt. Default 3; `0` disables retrying. */
  limit?: number | undefined;
  /** Delay before the first retry, doubled for each next one. Default 200 ms. */
  baseDelayMs?: number | undefined;
  /** Upper bound of any single delay. Default 2,000 ms. */
  maxDelayMs?: number | undefined;
}

/** What {@link createTokenCache} needs. */
export interface TokenCacheOptions {
  /** The store key, asked for at each store access: return the same (memoised) promise each time. */
  key: () => Promise<string>;
  store: TokenStore;
  renewBeforeMs: number;
  now: () => number;
  retry: Required<{ [K in keyof TokenRetryOptions]: number }>;
  /** One token request, no retrying; `parentId` identifies the acquisition that sends it, when observed. */
  request: (parentId?: number) => Promise<AccessToken>;
}

/** A token cache that renews lazily and sends one token request at a time. */
export interface TokenCache {
  /** A usable token: the cached one while it is fresh (synchronously), else a shared renewal. */
  current(): AccessToken | Promise<AccessToken>;
  /** The API refused the cached token: get another one (shared by concurrent callers). */
  renewAfterRejection(): Promise<AccessToken>;
  /** Forget the token (here and in the store) and any refused credentials. */
  clear(): Promise<void>;
}

interface Cached {
  token: AccessToken;
  value: string;
  renewAt: number;
  /** Its version in a coordinating store (see `TokenStore.obtain`). */
  version?: string | undefined;
}

/** What one acquisition got, and how. */
interface Obtained {
  token: AccessToken;
  outcome: Exclude<TokenAcquireOutcome, 'coalesced' | 'failed'>;
}

// While the token is still valid, a failed renewal is tried again after this long.
const RENEWAL_RETRY_MS = 5_000;

/**
 * Whether a token endpoint failure may pass by itself. Everything else, and
 * above all `invalid_grant` / `invalid_client`, is final: repeating a refused
 * password only brings the account closer to a lockout.
 */
function isTransient(error: unknown): boolean {
  // `instanceof` is enough: every error that reaches here was built by this package's own core (its token request).
  if (error instanceof NetworkError) return true;
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429 || error.status === 408;
  if (error instanceof OAuthError) return error.error === 'temporarily_unavailable' || error.error === 'server_error';
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The token life cycle of one SmartConnect identity: cold start from the
 * store, renewal shortly before expiry, renewal after a 401, one token request
 * at a time, capped retries of transient failures, and refused credentials
 * remembered (never sent again) until {@link TokenCache.clear}.
 */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const { key, store, renewBeforeMs, now, retry, request } = options;
  let cached: Cached | undefined;
  let rejectedValue: string | undefined;
  // The version of the refused token; `null` when the store fell back and never stored it.
  let rejectedVersion: string | null | undefined;
  let refused: OAuthError | undefined;
  let generation = 0;

  const renewAtOf = (token: AccessToken, obtainedAt: number | undefined): number => {
    const { expiresAt } = token;
    if (expiresAt === undefined) return Number.POSITIVE_INFINITY;
    if (obtainedAt === undefined) return expiresAt - renewBeforeMs;
    // Already expired by our clock: the clocks disagree, so only a 401 can tell.
    if (expiresAt <= obtainedAt) return Number.POSITIVE_INFINITY;
    // Short-lived tokens are renewed half-way rather than immediately.
    return Math.max(obtainedAt + (expiresAt - obtainedAt) / 2, expiresAt - renewBeforeMs);
  };

  const remember = (token: AccessToken, renewAt: number, version?: string) => {
    cached = { token, value: token.expose(), renewAt, version };
  };

  const requestWithRetry = async (acquisition: TokenAcquisition | undefined): Promise<AccessToken> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (acquisition) acquisition.attempts += 1;
        return await request(acquisition?.id);
      } catch (error) {
        if (attempt >= retry.limit || !isTransient(error)) throw error;
      }
      // Stryker disable next-line ArithmeticOperator,MethodExpression: the backoff changes only when a retry is sent, and tests assert no timing.
      const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
      // Stryker disable next-line ArithmeticOperator: as above.
      await sleep(delay / 2 + (Math.random() * delay) / 2);
    }
  };

  // Still valid: keep using it and try again a little later.
  const keepPrevious = (previous: Cached | undefined, error: unknown, started: number): AccessToken | undefined => {
    if (!previous || !isTransient(error) || previous.token.isExpired(now()) || generation !== started) return undefined;
    previous.renewAt = Math.min(now() + RENEWAL_RETRY_MS, previous.token.expiresAt ?? Number.POSITIVE_INFINITY);
    return previous.token;
  };

  // A store shared by a fleet: it decides who sends the token request (one process for all).
  const obtainShared = async (
    storeObtain: NonNullable<TokenStore['obtain']>,
    storeKey: string,
    started: number,
    acquisition: TokenAcquisition | undefined,
  ): Promise<Obtained> => {
    const previous = cached;
    let shared: VersionedToken;
    let requested = false;
    let waited = false;
    try {
      shared = await storeObtain.call(store, storeKey, {
        request: () => {
          requested = true;
          return requestWithRetry(acquisition);
        },
        onWait: () => {
          waited = true;
        },
        isUsable: (token) => token.expose() !== rejectedValue && now() < renewAtOf(token, undefined),
        refused: rejectedVersion,
        now,
      });
    } catch (error) {
      const kept = keepPrevious(previous, error, started);
      if (kept) return { token: kept, outcome: 'kept' };
      throw error;
    }
    const { token, version } = shared;
    if (generation === started) {
      remember(token, renewAtOf(token, now()), version);
      rejectedValue = undefined;
      rejectedVersion = undefined;
    }
    return { token, outcome: requested ? 'fetched' : waited ? 'waited' : 'store_hit' };
  };

  const obtainOnce = async (acquisition: TokenAcquisition | undefined): Promise<Obtained> => {
    const started = generation;
    try {
      const storeKey = await key();
      if (store.obtain) return await obtainShared(store.obtain, storeKey, started, acquisition);
      const stored = await store.get(storeKey);
      if (stored && stored.expose() !== rejectedValue && now() < renewAtOf(stored, undefined)) {
        if (generation === started) remember(stored, renewAtOf(stored, undefined));
        return { token: stored, outcome: 'store_hit' };
      }
      const previous = cached;
      let token: AccessToken;
      try {
        token = await requestWithRetry(acquisition);
      } catch (error) {
        const kept = keepPrevious(previous, error, started);
        if (kept) return { token: kept, outcome: 'kept' };
        throw error;
      }
      if (generation === started) {
        remember(token, renewAtOf(token, now()));
        rejectedValue = undefined;
        await store.set(storeKey, token);
      }
      return { token, outcome: 'fetched' };
    } catch (error) {
      if (error instanceof OAuthError && !isTransient(error) && generation === started) refused = error;
      throw error;
    }
  };

  // One token request at a time: concurrent callers join the one in flight (outcome `coalesced`).
  let inFlight: Promise<Obtained> | undefined;
  // Why the acquisition in flight started: a caller that finds the cache empty while it runs shares its reason
  // (after a 401 the cache is empty, yet that caller's cache is no cold one).
  let inFlightReason: TokenAcquireReason | undefined;
  const obtain = (reason: TokenAcquireReason): Promise<AccessToken> =>
    traceTokenAcquire(reason, async (acquisition) => {
      if (inFlight) {
        if (acquisition) acquisition.outcome = 'coalesced';
        return (await inFlight).token;
      }
      // Started from a resolved promise so that a synchronous throw is cleared like a rejection.
      const flight = Promise.resolve()
        .then(() => obtainOnce(acquisition))
        .finally(() => {
          inFlight = undefined;
          inFlightReason = undefined;
        });
      inFlight = flight;
      inFlightReason = reason;
      const { token, outcome } = await flight;
      if (acquisition) acquisition.outcome = outcome;
      return token;
    });

  return {
    current() {
      if (refused) throw refused;
      const entry = cached;
      const hit = entry !== undefined && now() < entry.renewAt;
      publish('grantkit:token:cache', () => ({ channel: 'grantkit:token:cache', outcome: hit ? 'hit' : 'miss' }));
      if (hit) return entry.token;
      return obtain(entry === undefined ? (inFlightReason ?? 'cold') : 'expiring');
    },
    renewAfterRejection() {
      if (refused) return Promise.reject(refused);
      if (cached) {
        rejectedValue = cached.value;
        rejectedVersion = cached.version ?? null;
        cached = undefined;
      }
      return obtain('rejected');
    },
    async clear() {
      // Stryker disable next-line AssignmentOperator: counting down also makes every earlier generation stale.
      generation += 1;
      cached = undefined;
      rejectedValue = undefined;
      rejectedVersion = undefined;
      refused = undefined;
      await store.delete(await key());
    },
  };
}
