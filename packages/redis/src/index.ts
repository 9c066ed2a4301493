export type { RedisClientLike, RedisSubscriberLike } from './redis-client.js';
export { type RedisFallbackEvent, RedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store.js';
export type { EncryptionKeyInput } from './token-cipher.js';
