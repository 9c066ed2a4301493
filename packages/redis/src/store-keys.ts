import { ConfigurationError } from '@grantkit/core';

/** The Redis names of one stored token. They share a hash tag, so one Lua script can touch them on Redis Cluster. */
export interface StoreKeys {
  token: string;
  lock: string;
  channel: string;
  /** When a revocation was last seen (see `READ_AFTER_REFUSAL`). */
  revoked: string;
}

/** `{prefix}{{key}}:token`, `…:lock`, `…:stored`, `…:revoked`. */
export function storeKeys(prefix: string, key: string): StoreKeys {
  if (key.length === 0 || key.includes('{') || key.includes('}')) {
    throw new ConfigurationError(
      'A RedisTokenStore key must be non-empty and hold no `{` or `}` (they would break the Redis Cluster hash tag).',
    );
  }
  const tagged = `${prefix}{${key}}`;
  return {
    token: `${tagged}:token`,
    lock: `${tagged}:lock`,
    channel: `${tagged}:stored`,
    revoked: `${tagged}:revoked`,
  };
}
