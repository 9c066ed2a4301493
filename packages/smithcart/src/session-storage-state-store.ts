import { ConfigurationError } from '@grantkit/core';
import type { StateEntry, StateStore } from './state-store.js';

const PREFIX = 'grantkit.smithcart.state.';

/** The part of the Web Storage API the store uses. */
export type StateStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function isEntry(value: unknown): value is StateEntry {
  const entry = value as StateEntry | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.state === 'string' &&
    typeof entry.scope === 'string' &&
    typeof entry.redirectUri === 'string' &&
    typeof entry.expiresAt === 'number'
  );
}

/**
 * A {@link StateStore} over `sessionStorage` (or any Web Storage): it survives
 * the full-page redirect to SmithCart and back, stays in one browser tab, and
 * is gone when the tab closes. The default store in browsers.
 *
 * @example
 * ```ts
 * const stateStore = new SessionStorageStateStore(window.sessionStorage);
 * ```
 */
export class SessionStorageStateStore implements StateStore {
  readonly #storage: StateStorage;

  constructor(storage: StateStorage) {
    this.#storage = storage;
  }

  /** @throws {ConfigurationError} when the storage refuses the entry (full, or blocked in this context). */
  save(entry: StateEntry): void {
    try {
      this.#storage.setItem(PREFIX + entry.state, JSON.stringify(entry));
    } catch (cause) {
      throw new ConfigurationError(
        'sessionStorage refused to keep the authorization state (full, or blocked here); pass another `stateStore`.',
        { cause },
      );
    }
  }

  /** Unreadable storage or a malformed entry counts as unknown: the callback is then refused. */
  take(state: string): StateEntry | undefined {
    const key = PREFIX + state;
    try {
      const text = this.#storage.getItem(key);
      this.#storage.removeItem(key);
      // Stryker disable next-line StringLiteral: JSON.parse('') throws, and the catch gives undefined as null does.
      const entry: unknown = JSON.parse(text ?? 'null');
      return isEntry(entry) ? entry : undefined;
      // Stryker disable next-line BlockStatement: an empty catch returns undefined too.
    } catch {
      return undefined;
    }
  }
}
