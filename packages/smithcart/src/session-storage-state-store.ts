import { ConfigurationError } from '@grantkit/core';
import * as messages from '#messages';
import type { StateEntry, StateStore } from './state-store.js';

const PREFIX = 'grantkit.smithcart.state.';

/**
 * The part of the Web Storage API the store uses: `sessionStorage` fits it. A
 * structural type, so that these declarations need no DOM library.
 */
export interface StateStorage {
  readonly length: number;
  /** The name of the `index`-th key, as `Storage.key`. */
  key(index: number): string | null;
  /** The value under `key`, as `Storage.getItem`. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`, as `Storage.setItem`. */
  setItem(key: string, value: string): void;
  /** Removes `key`, as `Storage.removeItem`. */
  removeItem(key: string): void;
}

/** Options of {@link SessionStorageStateStore}. */
export interface SessionStorageStateStoreOptions {
  /** The clock that decides which entries have expired, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * A {@link StateStore} over `sessionStorage` (or any Web Storage): it survives
 * the full-page redirect to SmithCart and back, stays in one browser tab, and
 * is gone when the tab closes. The default store in browsers. Every save first
 * removes this store's expired (or unreadable) entries, so abandoned
 * authorizations do not pile up; the bound is the storage's own quota, past
 * which `save` throws a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const stateStore = new SessionStorageStateStore(window.sessionStorage);
 * ```
 */
export class SessionStorageStateStore implements StateStore {
  readonly #storage: StateStorage;
  readonly #now: () => number;

  constructor(storage: StateStorage, options: SessionStorageStateStoreOptions = {}) {
    this.#storage = storage;
    this.#now = options.now ?? Date.now;
  }

  /** @throws {ConfigurationError} when the storage refuses the entry (full, or blocked in this context). */
  save(entry: StateEntry): void {
    try {
      this.#sweep();
    } catch {
      // A storage that cannot be listed still takes the entry; its expired ones stay until the tab closes.
    }
    try {
      this.#storage.setItem(PREFIX + entry.state, JSON.stringify(entry));
    } catch (cause) {
      throw new ConfigurationError(messages.sessionStorageRefused, {
        cause,
      });
    }
  }

  /** Unreadable storage or a malformed entry counts as unknown: the callback is then refused. */
  take(state: string): StateEntry | undefined {
    const key = PREFIX + state;
    try {
      const text = this.#storage.getItem(key);
      this.#storage.removeItem(key);
      return this.#parse(text);
    } catch {
      return undefined;
    }
  }

  #parse(text: string | null): StateEntry | undefined {
    try {
      const entry = JSON.parse(text ?? '0') as StateEntry;
      return typeof entry.state + typeof entry.scope + typeof entry.redirectUri + typeof entry.expiresAt ===
        'stringstringstringnumber'
        ? entry
        : undefined;
    } catch {
      return undefined;
    }
  }

  #sweep(): void {
    const now = this.#now();
    const stale: string[] = [];
    for (let index = 0; index < this.#storage.length; index++) {
      const key = this.#storage.key(index);
      if (!key?.startsWith(PREFIX)) continue;
      const entry = this.#parse(this.#storage.getItem(key));
      if (!entry || entry.expiresAt <= now) stale.push(key);
    }
    for (const key of stale) this.#storage.removeItem(key);
  }
}
