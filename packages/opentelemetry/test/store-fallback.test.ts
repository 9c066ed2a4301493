// Did Redis fail over? The store's fallbacks and failed commands as metrics, with one real redis-server.
import { randomBytes } from 'node:crypto';
import { RedisTokenStore } from '@grantkit/redis';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { startTelemetry, type Telemetry } from './support/telemetry.js';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');

let telemetry: Telemetry;
let redis: RedisServer | undefined;
const closing: (() => unknown)[] = [];

beforeEach(async () => {
  telemetry = await startTelemetry();
  redis = await startRedisServer();
});
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await redis?.stop();
  await telemetry.close();
});

async function redisStore(options: Partial<ConstructorParameters<typeof RedisTokenStore>[0]> = {}) {
  const client = createClient({ url: (redis as RedisServer).url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  const store = new RedisTokenStore({ client, encryptionKey: ENCRYPTION_KEY, ...options });
  closing.push(
    () => client.destroy(),
    () => store.close(),
  );
  return store;
}

describe('instrumentGrantKit with a RedisTokenStore that cannot be used', () => {
  it('counts a fallback for Redis gone, and the call is still answered', async () => {
    const client = telemetry.client({ tokenStore: await redisStore() });
    await redis?.stop();
    redis = undefined;
    await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: expect.any(String) });
    expect(await telemetry.metric('grantkit.store.fallbacks', 'grantkit.store.fallback.reason')).toEqual({
      'redis-unavailable': 1,
    });
  });

  it('counts a fallback and the command that timed out for a Redis that hangs', async () => {
    const client = telemetry.client({ tokenStore: await redisStore({ commandTimeoutMs: 300 }) });
    const pid = redis?.pid as number;
    process.kill(pid, 'SIGSTOP');
    closing.push(() => process.kill(pid, 'SIGCONT'));
    await expect(client.api.get('api/v1/me').json()).resolves.toMatchObject({ username: expect.any(String) });
    expect(await telemetry.metric('grantkit.store.fallbacks', 'grantkit.store.fallback.reason')).toEqual({
      'redis-timeout': 1,
    });
    expect(await telemetry.metric('grantkit.store.errors', 'error.type')).toEqual({ timeout: 1 });
  });

  it('counts a wait-timeout fallback when another instance holds the lock longer than maxWaitMs', async () => {
    const holder = telemetry.client({ tokenStore: await redisStore() });
    const impatient = telemetry.client({ tokenStore: await redisStore({ maxWaitMs: 200 }) });
    telemetry.mock.setTokenDelay(3_000);
    const held = holder.api.get('api/v1/me').json();
    // The holder's token request is under way once the mock has seen it: the lock is taken.
    while (telemetry.mock.stats.tokenRequests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await impatient.api.get('api/v1/me').json();
    await held;
    expect(await telemetry.metric('grantkit.store.fallbacks', 'grantkit.store.fallback.reason')).toEqual({
      'wait-timeout': 1,
    });
    expect(await telemetry.metric('grantkit.store.errors', 'error.type')).toEqual({});
  });
});
