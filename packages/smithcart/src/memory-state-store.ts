import type { StateEntry, StateStore } from './state-store.js';

const MAX_ENTRIES = 10_000;

/** Options of {@link MemoryStateStore}. */
export interface MemoryStateStoreOptions {
  /** The clock that decides which entries have expired, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * A {@link StateStore} in this process's memory, the default outside browsers.
 * Expired entries are dropped as new ones arrive, and at most 10,000 wait at
 * once (the oldest go first), so abandoned authorizations cannot grow it
 * without bound. An entry is removed when it is read.
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

  constructor(options: MemoryStateStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  save(entry: StateEntry): void {
    const now = this.#now();
    for (const [state, pending] of this.#entries) {
      if (pending.expiresAt <= now || this.#entries.size >= MAX_ENTRIES) this.#entries.delete(state);
    }
    this.#entries.set(entry.state, { ...entry });
  }

  take(state: string): StateEntry | undefined {
    const entry = this.#entries.get(state);
    this.#entries.delete(state);
    return entry;
  }
}
