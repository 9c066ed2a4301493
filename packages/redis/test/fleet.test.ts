// The fleet scenarios of issue #11: separate processes (child_process.fork) share one real redis-server and
// one mock SmartConnect served on 127.0.0.1; every figure asserted here is counted by the mock provider.
import { addUpCalls } from '@grantkit/process-fleet';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { type Fleet, startFleet } from './support/fleet.js';
import type { WorkerConfig } from './support/fleet-protocol.js';
import { type Provider, serveProvider as serve } from './support/provider.js';

const PROCESSES = 4;
// Generous: four processes on a shared 2-core machine that runs every other suite at the same time. The figures
// asserted are counts, never durations.
const FLEET_TIMEOUT_MS = 120_000;
const CALLS = 25;
const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

let redis: RedisServer;
let admin: ReturnType<typeof createClient>;
let fleet: Fleet;
let served: Provider | undefined;

async function serveProvider(...options: Parameters<typeof serve>): Promise<Provider> {
  served = await serve(...options);
  return served;
}

// The counts asserted hold when no process falls back to a token of its own, which a Redis command slower than the
// default 1 s makes it do on a loaded machine (a clean-clone CI run at load 15 counted 5 token requests for 2).
// Commands may take long here, except in the test of that fallback, which sets its own.
const COMMAND_TIMEOUT_MS = 10_000;

async function fleetOf(provider: Provider, config: Partial<WorkerConfig> = {}): Promise<Fleet> {
  await fleet.reset({
    mockUrl: provider.url,
    redis: { url: redis.url },
    encryptionKey: ENCRYPTION_KEY,
    credentials,
    ...config,
    store: { commandTimeoutMs: COMMAND_TIMEOUT_MS, ...config.store },
  });
  return fleet;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // The processes are forked once for the file; each test gives them new clients (fleet.reset).
  fleet = startFleet(PROCESSES);
  redis = await startRedisServer();
  admin = createClient({ url: redis.url });
  admin.on('error', () => undefined);
  await admin.connect();
  await fleet.started();
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  await fleet.stop();
  admin.destroy();
  await redis.stop();
}, FLEET_TIMEOUT_MS);

afterEach(async () => {
  await served?.close();
  served = undefined;
  if (admin.isReady) await admin.flushAll();
});

describe('a fleet of processes sharing one RedisTokenStore', () => {
  it(
    `sends exactly one token request for ${PROCESSES} processes × ${CALLS} concurrent cold calls`,
    async () => {
      const provider = await serveProvider();
      provider.mock.setTokenDelay(50);
      const instances = await fleetOf(provider);

      const results = addUpCalls(await instances.calls(CALLS));

      expect(results).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(1);
      expect(instances.events).toEqual([]);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'renews before expiry with one token request per renewal across processes',
    async () => {
      // JWTs with `exp` in whole seconds: a lifetime of 19–20 s, due for renewal 10 s before it ends. A wave of
      // calls has 9 s (until the next due time) to finish, and the token stays valid throughout. (With 10 s and
      // 5 s, a wave at load 15 outlasted its 4 s and renewed once more.)
      const provider = await serveProvider({ tokenTtlSeconds: 20 });
      const instances = await fleetOf(provider, { renewBeforeMs: 10_000 });

      expect(addUpCalls(await instances.calls(CALLS)).failures).toEqual([]);
      expect(provider.mock.stats.tokenRequests).toBe(1);
      for (const renewal of [1, 2]) {
        await sleep(10_200);
        expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
        expect(provider.mock.stats.tokenRequests).toBe(1 + renewal);
      }
      expect(provider.mock.stats.apiUnauthorized).toBe(0);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'renews once fleet-wide after the API refuses the token, and sends no stale token after it',
    async () => {
      const provider = await serveProvider();
      const instances = await fleetOf(provider);
      await instances.calls(CALLS);
      expect(provider.mock.stats.tokenRequests).toBe(1);

      provider.mock.revokeAllTokens();
      expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(2);

      const refusedBefore = provider.mock.stats.apiUnauthorized;
      expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.apiUnauthorized).toBe(refusedBefore);
      expect(provider.mock.stats.tokenRequests).toBe(2);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'lets another process take over the lock when its holder is SIGKILLed mid-request: 2 token requests, every call answered',
    async () => {
      const provider = await serveProvider();
      // Slower than the lease: the new holder's lease must be extended while its request runs. (A 400 ms lease
      // lapsed under the load of a clean-clone CI run before its extension ran, and a third process took over.)
      provider.mock.setTokenDelay(3_000);
      const instances = await fleetOf(provider, { store: { lockLeaseMs: 2_000 } });
      provider.onTokenRequest = (worker) => {
        if (provider.tokenRequesters.length === 1) instances.kill(Number(worker));
      };

      const results = await instances.calls(CALLS);

      expect(results).toHaveLength(PROCESSES - 1);
      expect(addUpCalls(results)).toEqual({ answered: (PROCESSES - 1) * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(2);
      // The second request came from another instance: it took the lock over once the dead holder's lease lapsed
      // (within maxWaitMs, 60 s, or every instance would have fallen back and requested its own token).
      expect(new Set(provider.tokenRequesters).size).toBe(2);
      expect(instances.events).toEqual([]);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'answers every call through the per-process fallback while Redis is stopped, and shares one token again once it is back',
    async () => {
      const provider = await serveProvider();
      const instances = await fleetOf(provider);
      await instances.calls(CALLS);
      expect(provider.mock.stats.tokenRequests).toBe(1);

      admin.destroy();
      await redis.stop();
      provider.mock.revokeAllTokens();
      expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      // Each process renewed on its own, and said so.
      expect(provider.mock.stats.tokenRequests).toBe(1 + PROCESSES);
      const fallbacks = instances.events.filter((event) => event.message.type === 'fallback');
      expect(new Set(fallbacks.map((event) => event.worker)).size).toBe(PROCESSES);
      expect(fallbacks[0]?.message).toEqual({ type: 'fallback', reason: 'redis-unavailable', code: 'network_error' });

      redis = await startRedisServer({ port: redis.port });
      admin = createClient({ url: redis.url });
      admin.on('error', () => undefined);
      await admin.connect();
      await instances.redisReady();
      provider.mock.revokeAllTokens();
      expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      // Each process still holds the token it got on its own, which the store never versioned: its 401 renewal
      // cannot tell the fleet's refused token from one renewed a moment ago, so a late process may request one more
      // (the README's Limits).
      expect(provider.mock.stats.tokenRequests).toBeGreaterThanOrEqual(2 + PROCESSES);
      expect(provider.mock.stats.tokenRequests).toBeLessThanOrEqual(1 + 2 * PROCESSES);
      const recoveries = instances.events.filter((event) => event.message.type === 'recovery');
      expect(new Set(recoveries.map((event) => event.worker)).size).toBe(PROCESSES);

      // Those renewals left processes holding tokens Redis no longer stores. A revocation of every token, the stored
      // one too, costs the fleet one token request: no process is handed a token that was revoked with its own.
      const recovered = provider.mock.stats.tokenRequests;
      provider.mock.revokeAllTokens();
      expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(recovered + 1);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'falls back after commandTimeoutMs when Redis hangs (SIGSTOP), and every call is answered',
    async () => {
      const provider = await serveProvider();
      const instances = await fleetOf(provider, { store: { commandTimeoutMs: 1_000 } });
      await instances.calls(CALLS);
      const before = provider.mock.stats.tokenRequests;

      process.kill(redis.pid, 'SIGSTOP');
      try {
        provider.mock.revokeAllTokens();
        expect(addUpCalls(await instances.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      } finally {
        process.kill(redis.pid, 'SIGCONT');
      }
      const fallbacks = instances.events.filter((event) => event.message.type === 'fallback');
      expect(fallbacks.map((event) => event.message)).toContainEqual({
        type: 'fallback',
        reason: 'redis-timeout',
        code: 'timeout',
      });
      // At most one renewal per process while Redis hangs.
      expect(provider.mock.stats.tokenRequests - before).toBeGreaterThanOrEqual(1);
      expect(provider.mock.stats.tokenRequests - before).toBeLessThanOrEqual(PROCESSES);
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'leaves no plaintext token, password or client secret in any Redis key or value, nor in any command sent',
    async () => {
      const monitor = admin.duplicate();
      monitor.on('error', () => undefined);
      await monitor.connect();
      const commands: string[] = [];
      await monitor.monitor((line) => commands.push(line));
      try {
        const provider = await serveProvider();
        const instances = await fleetOf(provider);
        await instances.calls(CALLS);
        provider.mock.revokeAllTokens();
        await instances.calls(CALLS);
        expect(provider.issued).toHaveLength(2);

        const dump: string[] = [];
        for await (const keys of admin.scanIterator()) {
          for (const key of keys) {
            const type = await admin.type(key);
            dump.push(key, type === 'hash' ? JSON.stringify(await admin.hGetAll(key)) : String(await admin.get(key)));
          }
        }
        expect(dump.length).toBeGreaterThan(0);
        const everything = `${dump.join('\n')}\n${commands.join('\n')}`;
        expect(commands.some((line) => line.includes('HSET'))).toBe(true);
        for (const secret of [
          ...provider.issued,
          credentials.password,
          credentials.clientSecret,
          credentials.username,
        ]) {
          expect(everything).not.toContain(secret);
        }
      } finally {
        monitor.destroy();
      }
    },
    FLEET_TIMEOUT_MS,
  );
});
