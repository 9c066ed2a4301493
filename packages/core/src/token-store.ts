import type { AccessToken } from './access-token.js';

/**
 * Where authorized clients keep tokens, by key. Implement it over a database,
 * a cache or a file to share tokens across processes; persist
 * `token.toStorage()` and rebuild with `AccessToken.fromStorage()`.
 */
export interface TokenStore {
  get(key: string): Promise<AccessToken | undefined>;
  set(key: string, token: AccessToken): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * The default {@link TokenStore}: a `Map` in this process.
 *
 * @example
 * ```ts
 * const store = new MemoryTokenStore();
 * await store.set('me', token);
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, AccessToken>();

  async get(key: string): Promise<AccessToken | undefined> {
    return this.#tokens.get(key);
  }

  async set(key: string, token: AccessToken): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
