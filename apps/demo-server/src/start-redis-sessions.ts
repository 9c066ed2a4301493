import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '@grantkit/core';
import { RedisTokenStore } from '@grantkit/redis';
import { createClient } from 'redis';
import type { DemoConfig, SmartConnectSettings } from './config.js';
import { errorSummary } from './error-summary.js';
import { redisSessionBackend } from './redis-sessions.js';
import type { LogLine } from './request-logger.js';
import { createSessionCipher, tokenKeys } from './session-cipher.js';
import type { SessionBackend } from './smartconnect-routes.js';

/** What {@link startRedisSessions} needs. */
export interface StartRedisSessionsOptions {
  redis: NonNullable<DemoConfig['redis']>;
  /** The SmartConnect the sessions' clients sign in to. */
  settings: SmartConnectSettings;
  log: LogLine;
  /** Longest wait for Redis at start. Default 10,000 ms. */
  connectTimeoutMs?: number;
}

/** Sessions in Redis, and the connection to close at shutdown. */
export interface RedisSessions {
  backend: SessionBackend;
  close(): Promise<void>;
}

/** `REDIS_URL` without its user name and password, for the banner. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * Connects to `REDIS_URL` and returns the sessions kept there, their
 * SmartConnect tokens in a `RedisTokenStore`, both encrypted with
 * `GRANTKIT_TOKEN_KEY`. Without that key, one is made for this run and the
 * log says so: then no other instance can read this one's sessions.
 *
 * @throws {ConfigurationError} for a bad key, or a Redis that does not answer in time.
 */
export async function startRedisSessions(options: StartRedisSessionsOptions): Promise<RedisSessions> {
  const { log } = options;
  let keyText = options.redis.tokenKey;
  if (keyText === undefined) {
    keyText = randomBytes(32).toString('base64');
    log(
      'GRANTKIT_TOKEN_KEY is not set: sessions and tokens in Redis are encrypted with a key made for this run, so no other instance can read them and a restart signs everybody out. Give every instance the same key (openssl rand -base64 32).',
    );
  }
  const keys = tokenKeys(keyText);
  const cipher = await createSessionCipher(keys);
  // Without the offline queue, a command while Redis is away fails at once instead of waiting for it.
  const client = createClient({ url: options.redis.url, disableOfflineQueue: true });
  // One line per outage, not one per reconnection attempt; only the error's class or errno code: node-redis
  // messages can quote the URL, and with it a password.
  let down = false;
  client.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    const code = (error as { code?: unknown } | null)?.code;
    const why = typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : errorSummary(error);
    log(`Redis connection lost (${why}): retrying in the background.`);
  });
  client.on('ready', () => {
    if (down) log('Redis connection back.');
    down = false;
  });
  const connecting = client.connect();
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  try {
    await Promise.race([
      connecting,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ConfigurationError(
                `Redis at ${redisAddress(options.redis.url)} did not answer within ${timeoutMs / 1000} s: start it, or unset REDIS_URL to keep sessions in memory.`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    connecting.catch(() => {});
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const tokenStore = new RedisTokenStore({
    client,
    encryptionKey: keys,
    onFallback: (event) =>
      log(`Redis unavailable (${event.reason}): this instance gets its own SmartConnect tokens until it is back.`),
    onRecovery: () => log('Redis answers again: SmartConnect tokens are shared again.'),
  });
  return {
    backend: redisSessionBackend({ client, cipher, tokenStore, settings: options.settings, log }),
    close: async () => {
      tokenStore.close();
      client.destroy();
    },
  };
}
