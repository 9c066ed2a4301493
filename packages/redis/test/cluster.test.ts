// RedisTokenStore on a real 3-master Redis Cluster (startRedisCluster), through node-redis's cluster client
// (createCluster), in four processes forked against the mock SmartConnect on 127.0.0.1. Every figure asserted is a
// count, never a duration.
import { addUpCalls } from '@grantkit/process-fleet';
import { type RedisCluster, startRedisCluster } from '@grantkit/redis/testing';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { type Fleet, startFleet } from './support/fleet.js';
import { type Provider, serveProvider } from './support/provider.js';
import { dumpEveryKey } from './support/redis-dump.js';

const PROCESSES = 4;
const CALLS = 25;
// Generous: a cluster and four processes on a shared 2-core machine.
const TIMEOUT_MS = 120_000;
// The counts below hold when no process falls back to a token of its own, which a Redis command slower than the
// default 1 s makes it do on a loaded machine (a clean-clone CI run at load 10 counted one more token request).
// The fallback has its own tests (src/redis-token-store.test.ts); here commands may take long.
const COMMAND_TIMEOUT_MS = 10_000;
const ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64');
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

let cluster: RedisCluster;
let nodes: ReturnType<typeof nodeClient>[] = [];
let fleet: Fleet;
let provider: Provider | undefined;

function nodeClient(url: string) {
  return createClient({ url }).on('error', () => undefined);
}

/** The keys each master holds now, by port. */
async function keysByNode(): Promise<Map<number, string[]>> {
  const byNode = new Map<number, string[]>();
  for (const [index, node] of nodes.entries()) byNode.set(cluster.nodes[index]?.port ?? 0, await node.keys('*'));
  return byNode;
}

/** The pub/sub channels some client listens to, on any master (a classic channel is known cluster-wide). */
async function listenedChannels(): Promise<string[]> {
  const channels = new Set<string>();
  for (const node of nodes) for (const channel of await node.pubSubChannels()) channels.add(channel);
  return [...channels];
}

async function coldFleet(): Promise<Provider> {
  provider = await serveProvider();
  await fleet.reset({
    mockUrl: provider.url,
    redis: { cluster: cluster.rootNodes },
    encryptionKey: ENCRYPTION_KEY,
    credentials,
    store: { commandTimeoutMs: COMMAND_TIMEOUT_MS },
  });
  return provider;
}

beforeAll(async () => {
  fleet = startFleet(PROCESSES);
  cluster = await startRedisCluster();
  nodes = cluster.nodes.map((node) => nodeClient(node.url));
  await Promise.all(nodes.map((node) => node.connect()));
  await fleet.started();
}, TIMEOUT_MS);

afterAll(async () => {
  await fleet?.stop();
  for (const node of nodes) node.destroy();
  await cluster?.stop();
}, TIMEOUT_MS);

afterEach(async () => {
  await provider?.close();
  provider = undefined;
  await Promise.all(nodes.map((node) => node.flushAll()));
});

describe('RedisTokenStore on a Redis Cluster (node-redis createCluster)', () => {
  it(
    `sends exactly one token request for ${PROCESSES} processes × ${CALLS} concurrent cold calls, its lock, channel and token in one slot`,
    async () => {
      const served = await coldFleet();
      let duringRequest: { keys: Map<number, string[]>; channels: string[] } | undefined;
      served.onTokenRequest = async () => {
        // Held until the waiting instances listen, so the channel can be seen; bounded, the answer comes anyway.
        for (let poll = 0; poll < 100 && (await listenedChannels()).length === 0; poll += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        duringRequest = { keys: await keysByNode(), channels: await listenedChannels() };
      };

      const results = addUpCalls(await fleet.calls(CALLS));

      expect(results).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(served.mock.stats.tokenRequests).toBe(1);
      expect(fleet.events).toEqual([]);

      // While the token was requested: the lock on one master; afterwards: the token, on that same master.
      const during = [...(duringRequest?.keys ?? [])].filter(([, keys]) => keys.length > 0);
      const after = [...(await keysByNode())].filter(([, keys]) => keys.length > 0);
      expect(during).toEqual([[expect.any(Number), [expect.stringMatching(/^grantkit:\{smartconnect:[^}]+\}:lock$/)]]]);
      expect(after).toEqual([[during[0]?.[0], [expect.stringMatching(/^grantkit:\{smartconnect:[^}]+\}:token$/)]]]);
      expect(duringRequest?.channels).toEqual([expect.stringMatching(/^grantkit:\{smartconnect:[^}]+\}:stored$/)]);

      const names = [during[0]?.[1][0], after[0]?.[1][0], duringRequest?.channels[0]].map(String);
      const slots = await Promise.all(names.map((name) => nodes[0]?.clusterKeySlot(name)));
      expect(new Set(slots).size).toBe(1);
      // One slot, not three that happen to be equal: the names share the hash tag between the braces.
      expect(new Set(names.map((name) => name.replace(/:(lock|token|stored)$/, ''))).size).toBe(1);
    },
    TIMEOUT_MS,
  );

  it(
    'renews once cluster-wide after the API refuses the token, and leaves no plaintext secret on any master',
    async () => {
      const served = await coldFleet();
      expect(addUpCalls(await fleet.calls(CALLS)).failures).toEqual([]);
      served.mock.revokeAllTokens();
      expect(addUpCalls(await fleet.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(served.mock.stats.tokenRequests).toBe(2);
      expect(served.issued).toHaveLength(2);

      const everything = await dumpEveryKey(cluster.nodes.map((node) => node.url));
      expect(everything).toMatch(/:token\n/);
      for (const secret of [...served.issued, credentials.password, credentials.clientSecret, credentials.username]) {
        expect(everything).not.toContain(secret);
      }
    },
    TIMEOUT_MS,
  );
});
