import { randomBytes } from 'node:crypto';

/**
 * Server-side sessions keyed by a random id that only ever travels in an
 * HttpOnly cookie: {@link MemorySessionStore} (one process, the default) or
 * `RedisSessionStore` (shared by every instance, with `REDIS_URL`).
 */
export interface SessionStore<T> {
  /** Stores `value` of `user` under a new id and returns the id, or `undefined` when the store is full. */
  create(value: T, user: string): string | undefined | Promise<string | undefined>;
  /** The value of a live session, refreshing its idle timer; `undefined` for an unknown or idle one. */
  get(id: string | undefined): T | undefined | Promise<T | undefined>;
  /** Ends a session (its value goes to the store's `onEvict`). */
  delete(id: string | undefined): void | Promise<void>;
}

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** At most this many sessions in all; when full, new ones are refused. Default 1,000. */
  maxSessions?: number;
  /** At most this many sessions of one user; a new one ends that user's least recently used. Default 10. */
  maxSessionsPerUser?: number;
  /** The clock of {@link MemorySessionStore} (a Redis store uses the Redis server's). */
  now?: () => number;
}

/** A new session id: 256 random bits, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

interface Entry<T> {
  value: T;
  user: string;
  lastSeen: number;
}

/**
 * Sessions in this process's memory, keyed by a random id (256 bits,
 * base64url): a restart signs everybody out. A full store refuses new
 * sessions instead of ending other people's.
 */
export class MemorySessionStore<T> implements SessionStore<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #idleTimeoutMs: number;
  readonly #maxSessions: number;
  readonly #maxSessionsPerUser: number;
  readonly #now: () => number;
  readonly #onEvict: (value: T) => void;

  constructor(options: SessionStoreOptions = {}, onEvict: (value: T) => void = () => {}) {
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
    this.#maxSessions = options.maxSessions ?? 1_000;
    this.#maxSessionsPerUser = options.maxSessionsPerUser ?? 10;
    this.#now = options.now ?? Date.now;
    this.#onEvict = onEvict;
  }

  /**
   * Stores `value` of `user` under a new id and returns the id, or
   * `undefined` when the store is full of other live sessions.
   */
  create(value: T, user: string): string | undefined {
    this.#sweep();
    // The Map's order is least recently used first.
    const own = [...this.#entries].filter(([, entry]) => entry.user === user).map(([id]) => id);
    while (own.length >= this.#maxSessionsPerUser) this.delete(own.shift());
    if (this.#entries.size >= this.#maxSessions) return undefined;
    const id = newSessionId();
    this.#entries.set(id, { value, user, lastSeen: this.#now() });
    return id;
  }

  /** The value of a live session, refreshing its idle timer; `undefined` for an unknown or idle one. */
  get(id: string | undefined): T | undefined {
    if (id === undefined) return undefined;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (this.#now() - entry.lastSeen > this.#idleTimeoutMs) {
      this.delete(id);
      return undefined;
    }
    entry.lastSeen = this.#now();
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.value;
  }

  delete(id: string | undefined): void {
    if (id === undefined) return;
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#onEvict(entry.value);
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) if (now - entry.lastSeen > this.#idleTimeoutMs) this.delete(id);
  }
}
