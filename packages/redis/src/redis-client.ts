/**
 * The part of a connected node-redis client that {@link RedisTokenStore}
 * uses. A node-redis 6 client (`createClient()`), cluster client
 * (`createCluster()`) or Sentinel client (`createSentinel()`) fits it as it
 * is; each is tested against a real deployment of its kind.
 */
export interface RedisClientLike {
  /** `true` while the client is connected and usable. */
  readonly isReady: boolean;
  /** Runs a Lua script (`EVAL`) on the given keys. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Deletes a key (`DEL`). */
  del(key: string): Promise<unknown>;
  /** The same client with an `abortSignal` on its commands (node-redis drops queued commands when aborted). */
  withCommandOptions(options: { abortSignal: AbortSignal }): RedisClientLike;
  /** A new client with the same options, for the pub/sub connection. */
  duplicate(): RedisSubscriberLike;
}

/** The duplicated connection that listens for freshly stored tokens. */
export interface RedisSubscriberLike {
  readonly isReady: boolean;
  /** Listens for connection errors, so a broken subscriber does not crash the process. */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Opens the subscriber's connection. */
  connect(): Promise<unknown>;
  /** Subscribes to a pub/sub channel (`SUBSCRIBE`). */
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  /** Closes the connection at once. */
  destroy(): void;
}
