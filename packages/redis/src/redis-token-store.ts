import {
  AccessToken,
  ConfigurationError,
  NetworkError,
  TimeoutError,
  type TokenObtainOptions,
  type TokenStore,
  type VersionedToken,
} from '@grantkit/core';
import { errorCodeOf, publish } from '@grantkit/core/internal';
import { tryLock } from './fleet-lock.js';
import type { RedisClientLike } from './redis-client.js';
import { DELETE_VERSION, READ_TOKEN, WRITE_TOKEN } from './scripts.js';
import { type StoreKeys, storeKeys } from './store-keys.js';
import { createStoredSignals, type StoredSignals } from './stored-signals.js';
import { createPlaintextCipher, createTokenCipher, type EncryptionKeyInput, type TokenCipher } from './token-cipher.js';

/** Why a {@link RedisTokenStore} let this process get its own token. */
export interface RedisFallbackEvent {
  /**
   * `redis-unavailable`: the client is not connected or a command failed;
   * `redis-timeout`: a command took longer than `commandTimeoutMs`;
   * `wait-timeout`: another instance held the renewal lock longer than `maxWaitMs`.
   */
  reason: 'redis-unavailable' | 'redis-timeout' | 'wait-timeout';
  /** The failure, with no token, key or credential in it. */
  error: NetworkError | TimeoutError;
}

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** A connected node-redis client (`await createClient({ url }).connect()`). The store never closes it. */
  client: RedisClientLike;
  /**
   * AES-256-GCM keys: 32 random bytes each, as base64 (`openssl rand -base64 32`) or bytes. A list (or one
   * string with commas) rotates keys: the first encrypts, every one decrypts. Required unless
   * `dangerouslyStorePlaintext` is `true`.
   */
  encryptionKey?: EncryptionKeyInput | readonly EncryptionKeyInput[] | undefined;
  /** Store tokens readable by anyone who can read Redis. Default `false`. */
  dangerouslyStorePlaintext?: boolean | undefined;
  /** Prefix of every Redis key. Default `'grantkit:'`. */
  prefix?: string | undefined;
  /** Lease of the renewal lock; a dead holder is taken over within it. Default 5,000 ms. */
  lockLeaseMs?: number | undefined;
  /** Longest wait for one Redis command before falling back to this process. Default 1,000 ms. */
  commandTimeoutMs?: number | undefined;
  /** Polling interval (jittered ±50 %) while waiting for another instance's token, in case pub/sub misses it. Default 100 ms. */
  pollIntervalMs?: number | undefined;
  /** Longest wait for another instance's token before requesting one here. Default 60,000 ms. */
  maxWaitMs?: number | undefined;
  /** Called each time this process gets a token on its own because Redis failed or was slow. */
  onFallback?: ((event: RedisFallbackEvent) => void) | undefined;
  /** Called when Redis answers again after a fallback. */
  onRecovery?: (() => void) | undefined;
}

interface StoredEntry {
  token: AccessToken;
  version: string;
  /** When it was written, in microseconds on Redis's clock. */
  writtenAt: number;
}

// A revocation is remembered this long: a token refused later than that, and written before it, costs one
// token request more.
const REVOCATION_MEMORY_MS = 7 * 24 * 3_600_000;
// How many of the versions it handed out a store remembers the write time of (one per renewal is typical).
const HANDED_OUT_MEMORY = 32;

/** A Redis failure, turned into the typed error the fallback event carries. */
class RedisUnavailable extends Error {
  readonly event: RedisFallbackEvent;
  constructor(event: RedisFallbackEvent) {
    super(event.error.message);
    this.event = event;
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`\`${name}\` must be a positive number of milliseconds.`);
  }
  return value;
}

function randomVersion(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_');
}

const REDIS = 'Redis (RedisTokenStore)';

/** READ_TOKEN's reply: the last revocation, then the stored token's version, key id, data, PTTL, write time. */
type ReadReply = [string] | [string, string, string, string, number, string];

interface ReadResult {
  found: StoredEntry | undefined;
  /** When the last revocation was seen, in microseconds on Redis's clock. */
  revokedAt: number;
}

/**
 * A {@link TokenStore} on Redis for a fleet of processes: tokens encrypted at
 * rest (AES-256-GCM), expiring with the token (`PX`, remaining lifetime read
 * with `PTTL`), each with a version. Through its `obtain` capability, however
 * many processes share one Redis, a cold start, a renewal before expiry or a
 * renewal after a 401 sends one token request: one instance takes a lock with
 * a random owner and a lease it extends while the request runs; the others
 * are woken by pub/sub (with jittered polling as the fallback) and read its
 * token. If Redis is down or slow, each process gets its own token and
 * `onFallback` says so.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { RedisTokenStore } from '@grantkit/redis';
 * import { createSmartConnectClient } from '@grantkit/smartconnect';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect();
 * const tokenStore = new RedisTokenStore({ client: redis, encryptionKey: process.env.GRANTKIT_TOKEN_KEY });
 * const smartconnect = createSmartConnectClient({ region: 'NA', credentials, tokenStore });
 * ```
 * @throws {ConfigurationError} without `client`, without `encryptionKey` (unless `dangerouslyStorePlaintext`),
 *   or with a key that is not 32 bytes of base64.
 */
export class RedisTokenStore implements TokenStore {
  readonly #client: RedisClientLike;
  readonly #cipher: TokenCipher;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #maxWaitMs: number;
  readonly #onFallback: ((event: RedisFallbackEvent) => void) | undefined;
  readonly #onRecovery: (() => void) | undefined;
  readonly #signals: StoredSignals;
  /** Version → when it was written, for the versions this store handed out: a 401 may refuse one of them. */
  readonly #handedOut = new Map<string, number>();
  #degraded = false;

  constructor(options: RedisTokenStoreOptions) {
    const { client, encryptionKey } = options ?? ({} as Partial<RedisTokenStoreOptions>);
    if (typeof client?.eval !== 'function' || typeof client.duplicate !== 'function') {
      throw new ConfigurationError(
        '`client` must be a node-redis client: `await createClient({ url: process.env.REDIS_URL }).connect()`.',
      );
    }
    if (encryptionKey === undefined || encryptionKey === '') {
      if (options.dangerouslyStorePlaintext !== true) {
        throw new ConfigurationError(
          'RedisTokenStore needs `encryptionKey` (32 random bytes in base64: `openssl rand -base64 32`), or `dangerouslyStorePlaintext: true` to keep tokens readable by anyone who can read Redis.',
        );
      }
      this.#cipher = createPlaintextCipher();
    } else {
      this.#cipher = createTokenCipher(encryptionKey);
    }
    this.#client = client;
    this.#prefix = options.prefix ?? 'grantkit:';
    this.#leaseMs = positive(options.lockLeaseMs, 5_000, 'lockLeaseMs');
    this.#timeoutMs = positive(options.commandTimeoutMs, 1_000, 'commandTimeoutMs');
    this.#pollMs = positive(options.pollIntervalMs, 100, 'pollIntervalMs');
    this.#maxWaitMs = positive(options.maxWaitMs, 60_000, 'maxWaitMs');
    this.#onFallback = options.onFallback;
    this.#onRecovery = options.onRecovery;
    this.#signals = createStoredSignals(client);
  }

  /** The stored token, its `expiresAt` from Redis's remaining lifetime. */
  async get(key: string): Promise<AccessToken | undefined> {
    return this.#plain(async () => (await this.#read(storeKeys(this.#prefix, key), Date.now)).found?.token);
  }

  /** Stores `token` under a new version, whatever is stored now. */
  async set(key: string, token: AccessToken): Promise<void> {
    await this.#plain(() => this.#write(storeKeys(this.#prefix, key), token, '*', randomVersion(), Date.now));
  }

  /** Deletes the stored token (every instance then obtains a new one on its next miss). */
  async delete(key: string): Promise<void> {
    const { token } = storeKeys(this.#prefix, key);
    await this.#plain(() => this.#command((client) => client.del(token)));
  }

  /** Fleet-wide single flight; see {@link TokenStore.obtain}. */
  async obtain(key: string, options: TokenObtainOptions): Promise<VersionedToken> {
    const keys = storeKeys(this.#prefix, key);
    const now = options.now ?? Date.now;
    try {
      if (!this.#client.isReady) throw this.#unavailable(undefined);
      return await this.#obtainShared(keys, options, now);
    } catch (error) {
      if (!(error instanceof RedisUnavailable)) throw error;
      this.#fallBack(error.event);
      return { token: await options.request(), version: undefined };
    }
  }

  #fallBack(event: RedisFallbackEvent): void {
    this.#degraded = true;
    publish('grantkit:store', () => ({
      channel: 'grantkit:store',
      action: 'fallback',
      reason: event.reason,
      errorCode: event.error.code,
    }));
    this.#onFallback?.(event);
  }

  /** Closes the store's own pub/sub connection (not the client you gave it). */
  close(): void {
    this.#signals.close();
  }

  async #obtainShared(keys: StoreKeys, options: TokenObtainOptions, now: () => number): Promise<VersionedToken> {
    const { refused } = options;
    // When the refused token was written ('' if this store never handed it out: its refusal is a new revocation).
    const refusedAt = typeof refused === 'string' ? String(this.#handedOut.get(refused) ?? '') : undefined;
    const { found, revokedAt } = await this.#read(keys, now, refusedAt);
    // After a 401, a token written before the revocation that refused the caller's is refused too. A token never
    // stored (`null`) cannot be placed against a revocation: no stored token is handed out for it, and no
    // revocation is recorded for the fleet.
    const usable =
      refused === undefined || (refused !== null && found?.version !== refused && (found?.writtenAt ?? 0) > revokedAt);
    if (found && usable && options.isUsable(found.token)) return this.#handOut(found);
    // The version being replaced: any other version that shows up is the fleet's new token.
    const stale = found?.version ?? '';
    const deadline = performance.now() + this.#maxWaitMs;
    // Subscribed in parallel with the first lock attempt; a waiter needs it, a holder does not.
    const listening = this.#signals.listen(keys.channel, this.#timeoutMs);
    let waitingSince: number | undefined;
    const waited = () => (waitingSince === undefined ? undefined : performance.now() - waitingSince);
    for (;;) {
      const lock = await tryLock((script, k, a) => this.#run(script, k, a), keys, this.#leaseMs);
      if (lock.acquired) return this.#renewHolding(keys, options, now, stale, lock.release, waited());
      if (waitingSince === undefined) {
        waitingSince = performance.now();
        publish('grantkit:lock', () => ({ channel: 'grantkit:lock', action: 'contended' }));
        options.onWait?.();
      }
      await listening;
      if (performance.now() >= deadline) {
        throw new RedisUnavailable({
          reason: 'wait-timeout',
          error: new TimeoutError('Another instance renewing the token', this.#maxWaitMs),
        });
      }
      // Never longer than the holder's remaining lease: a dead holder's lock is taken over as soon as it lapses.
      const jittered = this.#pollMs * (0.5 + Math.random());
      await this.#signals.next(keys.channel, Math.min(jittered, lock.remainingMs + 1));
      const current = (await this.#read(keys, now)).found;
      if (current && current.version !== stale) {
        publish('grantkit:lock', () => ({ channel: 'grantkit:lock', action: 'waited', waitDuration: waited() ?? 0 }));
        return this.#handOut(current);
      }
    }
  }

  async #renewHolding(
    keys: StoreKeys,
    options: TokenObtainOptions,
    now: () => number,
    stale: string,
    release: () => Promise<void>,
    /** How long this instance waited for the lock; `undefined` when it got it at once. */
    waitedMs: number | undefined,
  ): Promise<VersionedToken> {
    // Another instance may have stored a token between our read and our lock: a waiter then got that
    // instance's token (it waited, and took nothing over).
    const announce = (arrived?: boolean) =>
      publish('grantkit:lock', () => ({
        channel: 'grantkit:lock',
        action: waitedMs === undefined ? 'acquired' : arrived ? 'waited' : 'taken_over',
        waitDuration: waitedMs ?? 0,
      }));
    try {
      const { found: current } = await this.#read(keys, now).catch((error: unknown) => {
        announce();
        throw error;
      });
      const arrived = current !== undefined && current.version !== stale;
      announce(arrived);
      if (arrived) return this.#handOut(current);
      let token: AccessToken;
      try {
        token = await options.request();
      } catch (error) {
        // The refused token is of no use to anyone: drop it, unless a newer one replaced it meanwhile.
        if (stale !== '' && stale === options.refused) {
          await this.#run(DELETE_VERSION, [keys.token], [stale]).catch(() => undefined);
        }
        throw error;
      }
      const version = randomVersion();
      try {
        const writtenAt = await this.#write(keys, token, stale, version, now);
        if (writtenAt !== undefined) return this.#handOut({ token, version, writtenAt });
        // A newer token landed while ours was on its way (our lease ran out): the fleet's one wins.
        const newer = (await this.#read(keys, now).catch(() => undefined))?.found;
        return newer ? this.#handOut(newer) : { token, version: undefined };
      } catch (error) {
        if (!(error instanceof RedisUnavailable)) throw error;
        this.#fallBack(error.event);
        return { token, version: undefined };
      }
    } finally {
      await release().catch(() => undefined);
    }
  }

  #handOut({ token, version, writtenAt }: StoredEntry): VersionedToken {
    this.#handedOut.delete(version);
    this.#handedOut.set(version, writtenAt);
    for (const oldest of this.#handedOut.keys()) {
      if (this.#handedOut.size <= HANDED_OUT_MEMORY) break;
      this.#handedOut.delete(oldest);
    }
    return { token, version };
  }

  /** The stored token, its `expiresAt` on the caller's clock; after a 401, `refusedAt` records the refusal. */
  async #read(keys: StoreKeys, now: () => number, refusedAt?: string): Promise<ReadResult> {
    const reply = (await this.#run(
      READ_TOKEN,
      [keys.token, keys.revoked],
      [refusedAt ?? '-', String(REVOCATION_MEMORY_MS)],
    )) as ReadReply;
    const revokedAt = Number(reply[0]);
    if (reply.length === 1) return { found: undefined, revokedAt };
    const [, version, keyId, data, ttl, writtenAt] = reply;
    const stored = await this.#cipher.open({ keyId, data }, `${keys.token}\n${version}`);
    const remaining = Number(ttl);
    // Remaining lifetime from Redis's clock, so instances with skewed clocks agree on when it expires.
    const token =
      remaining >= 0
        ? new AccessToken({ value: stored.expose(), expiresAt: now() + remaining, scope: stored.scope })
        : stored;
    return { found: { token, version, writtenAt: Number(writtenAt) }, revokedAt };
  }

  async #write(
    keys: StoreKeys,
    token: AccessToken,
    expected: string,
    version: string,
    now: () => number,
  ): Promise<number | undefined> {
    let px = '';
    if (token.expiresAt !== undefined) {
      const remaining = Math.floor(token.expiresAt - now());
      if (remaining <= 0) return undefined;
      px = String(remaining);
    }
    const sealed = await this.#cipher.seal(token, `${keys.token}\n${version}`);
    const written = await this.#run(
      WRITE_TOKEN,
      [keys.token],
      [expected, version, sealed.keyId, sealed.data, px, keys.channel],
    );
    return written === 0 ? undefined : Number(written);
  }

  #unavailable(cause: unknown): RedisUnavailable {
    return new RedisUnavailable({
      reason: 'redis-unavailable',
      error: new NetworkError(REDIS, cause === undefined ? undefined : { cause }),
    });
  }

  /** One Lua script of `scripts.ts`, within the command timeout. */
  #run(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.#command((client) => client.eval(script, { keys, arguments: args }));
  }

  /** One command, abandoned after `commandTimeoutMs`; failures become {@link RedisUnavailable}. */
  async #command(send: (client: RedisClientLike) => Promise<unknown>): Promise<unknown> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const timeout = () =>
      new RedisUnavailable({ reason: 'redis-timeout', error: new TimeoutError(REDIS, this.#timeoutMs) });
    // The signal also drops the command from node-redis's offline queue, so it is never sent late.
    const command = send(this.#client.withCommandOptions({ abortSignal: signal }));
    let onAbort: (() => void) | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      onAbort = () => reject(timeout());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const reply = await Promise.race([command, timedOut]);
      if (this.#degraded) {
        this.#degraded = false;
        publish('grantkit:store', () => ({ channel: 'grantkit:store', action: 'recovered' }));
        this.#onRecovery?.();
      }
      return reply;
    } catch (error) {
      // A RedisUnavailable here is the command timing out (`timedOut`): a failed command too.
      const failure = error instanceof RedisUnavailable ? error : signal.aborted ? timeout() : this.#unavailable(error);
      publish('grantkit:store', () => ({
        channel: 'grantkit:store',
        action: 'error',
        errorCode: errorCodeOf(failure.event.error),
      }));
      throw failure;
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      command.catch(() => undefined);
    }
  }

  /** For the plain TokenStore methods: a Redis failure rejects with its typed error. */
  async #plain<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw error instanceof RedisUnavailable ? error.event.error : error;
    }
  }
}
