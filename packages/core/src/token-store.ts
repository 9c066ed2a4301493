import type { AccessToken } from './access-token.js';

/** A token from {@link TokenStore.obtain}, with the version that names it in the store. */
export interface VersionedToken {
  token: AccessToken;
  /** Names this very token in the store; `undefined` when it was not stored (the store fell back to this process). */
  version: string | undefined;
}

/** What {@link TokenStore.obtain} is given by a client that needs a token. */
export interface TokenObtainOptions {
  /** Sends one token request (retries included). The store calls it at most once per call of `obtain`. */
  request: () => Promise<AccessToken>;
  /** Whether a stored token can be used as it is (`false`: it is due for renewal). */
  isUsable: (token: AccessToken) => boolean;
  /**
   * Set after the API refused a token (a 401): its version, or `null` for a token this store never stored
   * (it had fallen back). The refused token is replaced, never returned, and so is any stored token that
   * may have been refused with it.
   */
  refused?: string | null | undefined;
  /** Called (at most once) when another instance is renewing the token and this call waits for it. */
  onWait?: (() => void) | undefined;
  /** The caller's clock in epoch ms; a stored token's `expiresAt` is given on it. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * Where authorized clients keep tokens, by key. Implement it over a database,
 * a cache or a file to share tokens across processes; persist
 * `token.toStorage()` and rebuild with `AccessToken.fromStorage()`.
 *
 * A store shared by many processes may also implement the optional
 * {@link TokenStore.obtain}; clients then get every token through it, and
 * stores without it keep working as before (`get`, request, `set`).
 *
 * @example
 * ```ts
 * class FileTokenStore implements TokenStore {
 *   async get(key: string) {
 *     const text = await readFile(`${key}.json`, 'utf8').catch(() => undefined);
 *     return text === undefined ? undefined : AccessToken.fromStorage(JSON.parse(text));
 *   }
 *   async set(key: string, token: AccessToken) {
 *     await writeFile(`${key}.json`, JSON.stringify(token.toStorage()), { mode: 0o600 });
 *   }
 *   async delete(key: string) {
 *     await rm(`${key}.json`, { force: true });
 *   }
 * }
 * ```
 */
export interface TokenStore {
  /** The token kept under `key`, or `undefined`. */
  get(key: string): Promise<AccessToken | undefined>;
  /** Keeps `token` under `key`, replacing any other. */
  set(key: string, token: AccessToken): Promise<void>;
  /** Forgets the token kept under `key`, if any. */
  delete(key: string): Promise<void>;
  /**
   * Optional fleet-wide coordination: returns the stored token of `key` when
   * `isUsable` accepts it (and it is not the `refused` version); otherwise
   * makes sure that one caller among all processes sharing the store calls
   * `request`, stores the new token under a new version, and hands it to the
   * others. A store that cannot coordinate for a while (its server is down)
   * calls `request` itself and returns the token without a version.
   */
  obtain?(key: string, options: TokenObtainOptions): Promise<VersionedToken>;
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

  /** The token kept under `key`, or `undefined`. */
  async get(key: string): Promise<AccessToken | undefined> {
    return this.#tokens.get(key);
  }

  /** Keeps `token` under `key`, replacing any other. */
  async set(key: string, token: AccessToken): Promise<void> {
    this.#tokens.set(key, token);
  }

  /** Forgets the token kept under `key`, if any. */
  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
