/** Why a token was asked for: none yet, the cached one is about to expire, or the API refused it (a 401). */
export type TokenAcquireReason = 'cold' | 'expiring' | 'rejected';

/**
 * How an acquisition ended: `store_hit` (a usable token in the store), `coalesced` (joined a request
 * already in flight in this process), `fetched` (this process sent the token request), `waited` (another
 * instance of a fleet renewed it), `kept` (the renewal failed for a transient reason and the still-valid
 * token stays in use), `failed`.
 */
export type TokenAcquireOutcome = 'store_hit' | 'coalesced' | 'fetched' | 'waited' | 'kept' | 'failed';

/** One token acquisition, on the `grantkit:token` channel: `start`, then `end` or `error`. */
export interface TokenAcquireEvent {
  readonly channel: 'grantkit:token';
  readonly phase: 'start' | 'end' | 'error';
  /** Identifies the acquisition across its phases, and the token requests it sent (`HttpEvent.parentId`). */
  readonly id: number;
  readonly reason: TokenAcquireReason;
  /** On `end` and `error`. */
  readonly outcome?: TokenAcquireOutcome | undefined;
  /** Token requests sent (retries included), on `end` and `error`. */
  readonly attempts?: number | undefined;
  /** Milliseconds since `start`, on `end` and `error`. */
  readonly duration?: number | undefined;
  /** The `GrantKitError` code (or the error's name), on `error`. */
  readonly errorCode?: string | undefined;
}

/** A lookup of the in-process token cache, on `grantkit:token:cache`: `miss` starts an acquisition. */
export interface TokenCacheEvent {
  readonly channel: 'grantkit:token:cache';
  readonly outcome: 'hit' | 'miss';
}

/** One HTTP exchange (its resends and redirects included), on `grantkit:http`, when it ends. */
export interface HttpEvent {
  readonly channel: 'grantkit:http';
  /** `token`: a token request; `api`: a request of the Bearer transport. */
  readonly purpose: 'token' | 'api';
  /** The acquisition that sent this token request. */
  readonly parentId?: number | undefined;
  readonly method: string;
  /** Redacted: no credentials, no fragment, secret-looking query values replaced. */
  readonly url: string;
  /** The final answer's status; absent when no answer came. */
  readonly status?: number | undefined;
  /** Requests sent after the first one (a resend after a 401, each redirect). */
  readonly resendCount: number;
  /** `performance.timeOrigin + performance.now()` when the exchange started, in epoch ms. */
  readonly startTime: number;
  /** Milliseconds the exchange took, up to its answer's headers. */
  readonly duration: number;
  /** The `GrantKitError` code (or the error's name) when no answer came. */
  readonly errorCode?: string | undefined;
}

/** The renewal lock of a fleet (`@grantkit/redis`), on `grantkit:lock`. */
export interface LockEvent {
  readonly channel: 'grantkit:lock';
  /**
   * `acquired`: this instance holds the lock; `contended`: another instance holds it (this one waits);
   * `taken_over`: acquired after waiting (the holder released it without a token, or its lease ran out);
   * `released`; `extended`: the holder's lease was extended; `waited`: another instance's token arrived.
   * A holder whose lease ran out (the lock is another instance's) reports neither `extended` nor `released`.
   */
  readonly action: 'acquired' | 'contended' | 'taken_over' | 'released' | 'extended' | 'waited';
  /** Milliseconds this instance waited, on `acquired`, `taken_over` and `waited`. */
  readonly waitDuration?: number | undefined;
}

/** The health of a shared token store, on `grantkit:store`. */
export interface StoreEvent {
  readonly channel: 'grantkit:store';
  /** `error`: a store command failed; `fallback`: this process got its own token; `recovered`: the store answers again. */
  readonly action: 'error' | 'fallback' | 'recovered';
  /** Why, on `fallback` (as `RedisFallbackEvent.reason`). */
  readonly reason?: string | undefined;
  readonly errorCode?: string | undefined;
}

/** One SmithCart callback handled by `handleCallback`, on `grantkit:callback`. */
export interface CallbackEvent {
  readonly channel: 'grantkit:callback';
  readonly outcome: 'granted' | 'error';
  /** Scopes asked for and granted, and asked for but not granted, on `granted`. */
  readonly granted?: number | undefined;
  readonly denied?: number | undefined;
  readonly errorCode?: string | undefined;
}

/** Every event grantkit publishes; `channel` tells them apart. */
export type GrantKitEvent = TokenAcquireEvent | TokenCacheEvent | HttpEvent | LockEvent | StoreEvent | CallbackEvent;

/** A channel's name. */
export type GrantKitChannel = GrantKitEvent['channel'];
