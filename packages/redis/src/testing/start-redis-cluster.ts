import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeClusterPort, redisCli, stopAll, until } from './redis-process.js';
import { type RedisServer, startRedisServer } from './start-redis-server.js';

/** A Redis Cluster started by {@link startRedisCluster}. */
export interface RedisCluster {
  /** The masters, each `redis-server --cluster-enabled yes` on 127.0.0.1, holding an equal share of the slots. */
  nodes: RedisServer[];
  /** For node-redis: `createCluster({ rootNodes: cluster.rootNodes })`. */
  rootNodes: { url: string }[];
  /** Stops every node (by PID) and deletes their cluster config files. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** How many masters (no replicas). Default 3, the least `redis-cli --cluster create` accepts. */
  masters?: number | undefined;
  /** The `redis-server` binary. Default `redis-server` from the PATH. */
  command?: string | undefined;
  /** The `redis-cli` binary. Default `redis-cli` from the PATH (Debian's `redis-tools`). */
  cliCommand?: string | undefined;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts a throwaway Redis Cluster on 127.0.0.1: `masters` nodes with persistence off, joined by
 * `redis-cli --cluster create`, and resolves once every node reports `cluster_state:ok`.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const redis = await createCluster({ rootNodes: cluster.rootNodes }).connect();
 * // …
 * redis.destroy();
 * await cluster.stop();
 * ```
 * @throws {Error} when `redis-server` or `redis-cli` is not installed (the message says how to install it), or the
 *   cluster does not form within 30 s; every node started is stopped first.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const cli = (args: string[]) => redisCli(args, options.cliCommand);
  const directory = await mkdtemp(join(tmpdir(), 'grantkit-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const stop = async () => {
    await stopAll(nodes);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const taken = new Set<number>();
    for (let index = 0; index < masters; index += 1) {
      const port = await freeClusterPort(taken);
      taken.add(port);
      const configFile = join(directory, `nodes-${port}.conf`);
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', configFile, '--dir', directory];
      nodes.push(await startRedisServer({ port, command: options.command, args }));
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await cli(['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) {
      await until(
        async () => (await cli(['-p', String(node.port), 'cluster', 'info'])).includes('cluster_state:ok'),
        READY_TIMEOUT_MS,
        `The Redis Cluster node on port ${node.port} did not report cluster_state:ok within 30 s.`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, rootNodes: nodes.map((node) => ({ url: node.url })), stop };
}
