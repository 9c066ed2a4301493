import { SessionStorageStateStore } from './session-storage-state-store.js';
import type { StateEntry, StateStore } from './state-store.js';

let pageStore: StateStore | undefined;

/**
 * The `browser` variant of default-state-store.ts (package.json `imports`, `#default-state-store`): the same
 * `sessionStorage` store, and where storage is blocked a plain map that lives as long as the page (enough for
 * the popup flow, whose callback comes back to this page), so that browser bundles need not carry
 * `MemoryStateStore`, which bounds and sweeps the entries of a long-running process (workerd, whose bundler sets
 * `workerd` before `browser`, gets it).
 */
export function defaultStateStore(): StateStore {
  try {
    if (globalThis.sessionStorage) return new SessionStorageStateStore(globalThis.sessionStorage);
  } catch {}
  if (!pageStore) {
    const entries = new Map<string, StateEntry>();
    pageStore = {
      save: (entry) => void entries.set(entry.state, { ...entry }),
      take: (state) => {
        const entry = entries.get(state);
        entries.delete(state);
        return entry;
      },
    };
  }
  return pageStore;
}
