import { MemoryStateStore } from './memory-state-store.js';
import { SessionStorageStateStore } from './session-storage-state-store.js';
import type { StateStore } from './state-store.js';

let shared: MemoryStateStore | undefined;

/**
 * The store {@link createAuthorizationRequest} and {@link handleCallback} use
 * when given none: `sessionStorage` where there is one (browsers, Deno), else
 * one {@link MemoryStateStore} shared by this copy of the module, so that both
 * functions meet in a single Node process (a CLI with a loopback redirect, a
 * test). Pass your own store when the callback may land in another process.
 *
 * @example
 * ```ts
 * defaultStateStore() instanceof MemoryStateStore; // true in Node
 * ```
 */
export function defaultStateStore(): StateStore {
  try {
    // Reading `sessionStorage` throws where storage is blocked (sandboxed frames, some privacy modes).
    if (globalThis.sessionStorage) return new SessionStorageStateStore(globalThis.sessionStorage);
  } catch {}
  shared ??= new MemoryStateStore();
  return shared;
}
