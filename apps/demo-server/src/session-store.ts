import { randomBytes } from 'node:crypto';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session is forgotten. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** At most this many sessions; the least recently used goes first. Default 1,000. */
  maxSessions?: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  lastSeen: number;
}

/**
 * Server-side sessions keyed by a random id (256 bits, base64url) that only
 * ever travels in an HttpOnly cookie. In memory: a restart signs everybody out.
 */
export class SessionStore<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #idleTimeoutMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;
  readonly #onEvict: (value: T) => void;

  constructor(options: SessionStoreOptions = {}, onEvict: (value: T) => void = () => {}) {
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
    this.#maxSessions = options.maxSessions ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#onEvict = onEvict;
  }

  /** Stores `value` under a new id and returns the id. */
  create(value: T): string {
    this.#sweep();
    const id = randomBytes(32).toString('base64url');
    this.#entries.set(id, { value, lastSeen: this.#now() });
    while (this.#entries.size > this.#maxSessions) {
      const oldest = this.#entries.keys().next().value as string;
      this.delete(oldest);
    }
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
    // Re-insert so that the Map's order stays least recently used first.
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
