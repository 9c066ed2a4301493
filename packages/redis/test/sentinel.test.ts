// RedisTokenStore through a Sentinel failover: a real primary, its replica and three Sentinels
// (startRedisSentinel), node-redis's Sentinel client (createSentinel) in four forked processes, the mock
// SmartConnect on 127.0.0.1. The primary is SIGKILLed; the Sentinels promote the replica. Every figure asserted
// is a count, never a duration.
import { addUpCalls } from '@grantkit/process-fleet';
import { type RedisSentinelGroup, startRedisSentinel } from '@grantkit/redis/testing';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Fleet, startFleet } from './support/fleet.js';
import { type Provider, serveProvider } from './support/provider.js';
import { dumpEveryKey } from './support/redis-dump.js';

const PROCESSES = 4;
const CALLS = 25;
// Generous: a failover and four processes on a shared 2-core machine.
const TIMEOUT_MS = 120_000;
// Above the failover time (down-after 1 s + election), as the README advises: commands wait for the new primary
// instead of each process falling back to a token of its own.
const COMMAND_TIMEOUT_MS = 20_000;
// A call waits for its token within its own timeout (10 s by default), which must outlast the failover too.
const CALL_TIMEOUT_MS = 60_000;
const ENCRYPTION_KEY = Buffer.alloc(32, 6).toString('base64');
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

let group: RedisSentinelGroup | undefined;
let fleet: Fleet;
let provider: Provider | undefined;

async function fleetOn(sentinels: RedisSentinelGroup): Promise<Provider> {
  provider = await serveProvider();
  await fleet.reset({
    mockUrl: provider.url,
    redis: { sentinel: { name: sentinels.name, sentinelRootNodes: sentinels.sentinelRootNodes } },
    encryptionKey: ENCRYPTION_KEY,
    credentials,
    store: { commandTimeoutMs: COMMAND_TIMEOUT_MS },
    timeout: CALL_TIMEOUT_MS,
  });
  return provider;
}

/** Every key and value left on the nodes still running, checked for the issued tokens and the credentials. */
async function expectNoPlaintext(sentinels: RedisSentinelGroup, served: Provider): Promise<void> {
  const everything = await dumpEveryKey([sentinels.replica.url]);
  expect(everything).toMatch(/:token\n/);
  for (const secret of [...served.issued, credentials.password, credentials.clientSecret, credentials.username]) {
    expect(everything).not.toContain(secret);
  }
}

beforeAll(async () => {
  fleet = startFleet(PROCESSES);
  await fleet.started();
}, TIMEOUT_MS);

afterAll(async () => {
  await fleet?.stop();
}, TIMEOUT_MS);

// A failover uses a group up: each test gets its own.
beforeEach(async () => {
  group = await startRedisSentinel();
}, TIMEOUT_MS);

afterEach(async () => {
  await provider?.close();
  provider = undefined;
  await group?.stop();
  group = undefined;
}, TIMEOUT_MS);

describe('RedisTokenStore through a Sentinel failover (node-redis createSentinel)', () => {
  it(
    'answers every cold call when the primary is SIGKILLed during the token request, with at most one extra request',
    async () => {
      const sentinels = group as RedisSentinelGroup;
      const served = await fleetOn(sentinels);
      served.mock.setTokenDelay(50);
      served.onTokenRequest = () => {
        if (served.tokenRequesters.length === 1) process.kill(sentinels.primary.pid, 'SIGKILL');
      };

      const results = addUpCalls(await fleet.calls(CALLS));

      // No process fell back to a token of its own: they all waited for the new primary.
      expect({ results, fallbacks: fleet.events }).toEqual({
        results: { answered: PROCESSES * CALLS, failures: [] },
        fallbacks: [],
      });
      expect(served.mock.stats.tokenRequests).toBeGreaterThanOrEqual(1);
      expect(served.mock.stats.tokenRequests).toBeLessThanOrEqual(2);
      expect(await sentinels.primaryPort()).toBe(sentinels.replica.port);
      await expectNoPlaintext(sentinels, served);
    },
    TIMEOUT_MS,
  );

  it(
    'renews once (at most one extra) when the primary is SIGKILLed right after the token is cached and the API then refuses it',
    async () => {
      const sentinels = group as RedisSentinelGroup;
      const served = await fleetOn(sentinels);
      expect(addUpCalls(await fleet.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(served.mock.stats.tokenRequests).toBe(1);

      process.kill(sentinels.primary.pid, 'SIGKILL');
      served.mock.revokeAllTokens();
      const results = addUpCalls(await fleet.calls(CALLS));

      expect({ results, fallbacks: fleet.events }).toEqual({
        results: { answered: PROCESSES * CALLS, failures: [] },
        fallbacks: [],
      });
      // One renewal for the refused token, plus at most one if the lock or token was lost with the primary.
      expect(served.mock.stats.tokenRequests).toBeGreaterThanOrEqual(2);
      expect(served.mock.stats.tokenRequests).toBeLessThanOrEqual(3);
      expect(await sentinels.primaryPort()).toBe(sentinels.replica.port);
      await expectNoPlaintext(sentinels, served);
    },
    TIMEOUT_MS,
  );
});
