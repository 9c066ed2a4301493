/** What {@link createAuthorizationRequest} remembers about one pending authorization. */
export interface StateEntry {
  /** The `state` sent to the provider. */
  state: string;
  /** The requested scopes, space-separated. */
  scope: string;
  /** The `redirect_uri` sent to the provider. */
  redirectUri: string;
  /** When the entry stops being accepted, in epoch ms. */
  expiresAt: number;
}

/**
 * Where pending authorizations wait for their callback. `take` must return
 * the entry AND delete it, so that a state works once; methods may be sync or async.
 * Implement it over a server session or a cache when the callback may reach
 * another process than the one that started the authorization.
 *
 * @example
 * ```ts
 * const store: StateStore = {
 *   save: (entry) => redis.set(`state:${entry.state}`, JSON.stringify(entry), { PX: entry.expiresAt - Date.now() }),
 *   take: async (state) => JSON.parse((await redis.getDel(`state:${state}`)) ?? 'null') ?? undefined,
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export interface StateStore {
  /** Keeps a new state until its callback comes back (or it expires). */
  save(entry: StateEntry): void | Promise<void>;
  /** Removes and returns the entry of `state`, or `undefined` when there is none. */
  take(state: string): StateEntry | undefined | Promise<StateEntry | undefined>;
}
