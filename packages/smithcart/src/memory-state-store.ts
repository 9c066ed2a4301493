import { ConfigurationError } from '@grantkit/core';
import * as messages from '#messages';
import type { StateEntry, StateStore } from './state-store.js';

/** Options of {@link MemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** The clock that decides which entries have expired, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** The most unexpired entries held at once; a save beyond it is refused. Default 10,000. */
  maxEntries?: number | undefined;
}

/**
 * A {@link StateStore} in this process's memory, the default outside browsers.
 * Every save first drops the entries that have expired, so abandoned
 * authorizations go away by themselves. At most `maxEntries` (10,000) unexpired
 * entries wait at once: at the bound, `save` throws a `ConfigurationError` and
 * the new authorization does not start, while every pending one keeps working
 * (evicting one would make a real user's callback fail with
 * `StateMismatchError`). Room comes back as entries expire or are taken. An
 * entry is removed when it is read.
 *
 * @example
 * ```ts
 * const stateStore = new MemoryStateStore();
 * const { url } = await createAuthorizationRequest({ ...options, stateStore });
 * // … later, in the same process:
 * await handleCallback(callbackUrl, { stateStore });
 * ```
 */
export class MemoryStateStore implements StateStore {
  readonly #entries = new Map<string, StateEntry>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  // The earliest expiry held: until then, a save has nothing to sweep.
  #nextExpiry = Number.POSITIVE_INFINITY;

  constructor(options: MemoryStateStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 10_000;
    if (!(this.#maxEntries >= 1)) throw new ConfigurationError(messages.maxEntriesInvalid);
  }

  /** @throws {ConfigurationError} when `maxEntries` unexpired authorizations are already pending. */
  save(entry: StateEntry): void {
    const now = this.#now();
    const entries = this.#entries;
    if (now >= this.#nextExpiry) {
      this.#nextExpiry = Number.POSITIVE_INFINITY;
      for (const [state, { expiresAt }] of entries) {
        if (expiresAt <= now) entries.delete(state);
        else this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
      }
    }
    if (entries.size >= this.#maxEntries && !entries.has(entry.state)) {
      throw new ConfigurationError(messages.tooManyPending(this.#maxEntries));
    }
    entries.set(entry.state, { ...entry });
    this.#nextExpiry = Math.min(this.#nextExpiry, entry.expiresAt);
  }

  take(state: string): StateEntry | undefined {
    const entry = this.#entries.get(state);
    this.#entries.delete(state);
    return entry;
  }
}
