import type { TokenStore } from '@grantkit/core';

/**
 * `store` with `:<scope>` after every key, `obtain` included: each signed-in
 * session keeps a token of its own, as with one `MemoryTokenStore` per
 * session, so ending one session (sign-out, the per-user cap) never takes the
 * token of the same user's other sessions.
 */
export function scopedTokenStore(store: TokenStore, scope: string): TokenStore {
  const scoped = (key: string) => `${key}:${scope}`;
  const { obtain } = store;
  return {
    get: (key) => store.get(scoped(key)),
    set: (key, token) => store.set(scoped(key), token),
    delete: (key) => store.delete(scoped(key)),
    ...(obtain ? { obtain: (key, options) => obtain.call(store, scoped(key), options) } : {}),
  };
}
