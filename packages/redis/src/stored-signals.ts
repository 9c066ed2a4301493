import type { RedisClientLike, RedisSubscriberLike } from './redis-client.js';

/** Wakes waiters when a token is stored or a lock released, over one duplicated pub/sub connection. */
export interface StoredSignals {
  /** Subscribes to `channel` (once), within `timeoutMs`; without pub/sub, waiters simply poll. */
  listen(channel: string, timeoutMs: number): Promise<void>;
  /** Resolves on the next message on `channel`, or after `ms`. */
  next(channel: string, ms: number): Promise<void>;
  close(): void;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createStoredSignals(client: RedisClientLike): StoredSignals {
  let subscriber: RedisSubscriberLike | undefined;
  let connecting: Promise<unknown> | undefined;
  const subscribed = new Map<string, Promise<unknown>>();
  const waiters = new Map<string, Set<() => void>>();
  let closed = false;

  const wake = (channel: string) => {
    const set = waiters.get(channel);
    if (!set) return;
    waiters.delete(channel);
    for (const resolve of set) resolve();
  };

  const connect = () => {
    if (!subscriber) {
      subscriber = client.duplicate();
      // Failures show on the user's own client; this connection reconnects and resubscribes by itself.
      subscriber.on('error', () => undefined);
      connecting = subscriber.connect().catch(() => undefined);
    }
    return { subscriber, connecting };
  };

  return {
    async listen(channel, timeoutMs) {
      if (closed) return;
      let subscription = subscribed.get(channel);
      if (!subscription) {
        const { subscriber: connection, connecting: ready } = connect();
        subscription = (async () => {
          await ready;
          await connection.subscribe(channel, () => wake(channel));
        })();
        // A failed subscription is tried again by the next waiter.
        subscription.catch(() => subscribed.delete(channel));
        subscribed.set(channel, subscription);
      }
      await within(
        subscription.catch(() => undefined),
        timeoutMs,
      );
    },

    next(channel, ms) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(channel) ?? new Set();
        waiters.set(channel, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
      });
    },

    close() {
      closed = true;
      for (const channel of [...waiters.keys()]) wake(channel);
      try {
        subscriber?.destroy();
      } catch {
        // Already closed.
      }
    },
  };
}
