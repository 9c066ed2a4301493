import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RedisProcess, redisCli, spawnRedis, stopAll, until } from './redis-process.js';
import { type RedisServer, startRedisServer } from './start-redis-server.js';

/** A primary, its replica and the Sentinels that watch them, started by {@link startRedisSentinel}. */
export interface RedisSentinelGroup {
  /** The name the Sentinels monitor the primary under (node-redis: `createSentinel({ name })`). */
  name: string;
  /** The primary as started. After a failover, the replica is the primary: ask {@link primaryPort}. */
  primary: RedisServer;
  replica: RedisServer;
  /** Each `redis-sentinel`, with its port and process id. */
  sentinels: RedisProcess[];
  /** For node-redis: `createSentinel({ name, sentinelRootNodes })`. */
  sentinelRootNodes: { host: string; port: number }[];
  /** The port of the primary as the first Sentinel that answers names it now. */
  primaryPort(): Promise<number>;
  /** Stops every process (by PID) and deletes the Sentinels' config files. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisSentinel}. */
export interface StartRedisSentinelOptions {
  /** The monitored name. Default `'grantkit'`. */
  name?: string | undefined;
  /** How many Sentinels; the quorum is a majority of them. Default 3. */
  sentinels?: number | undefined;
  /** How long the primary must be unreachable before the Sentinels fail over (`down-after-milliseconds`). Default 1,000 ms. */
  downAfterMs?: number | undefined;
  /**
   * `failover-timeout`: a Sentinel whose election failed (split votes) tries again after twice this. Default
   * 2,000 ms, so a failed election costs seconds, not Redis's default of minutes.
   */
  failoverTimeoutMs?: number | undefined;
  /** The `redis-server` binary. Default `redis-server` from the PATH. */
  command?: string | undefined;
  /** The Sentinel binary. Default `redis-sentinel` from the PATH. */
  sentinelCommand?: string | undefined;
  /** The `redis-cli` binary. Default `redis-cli` from the PATH (Debian's `redis-tools`). */
  cliCommand?: string | undefined;
}

const READY_TIMEOUT_MS = 30_000;
const SENTINEL_HINT =
  'redis-sentinel is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-sentinel`; macOS: `brew install redis`), then run the tests again.';

/**
 * Starts a throwaway primary, one replica and `sentinels` Sentinels on 127.0.0.1, persistence off, and resolves
 * once every Sentinel knows the replica and the other Sentinels, so a failover can happen. Crash the primary
 * (`process.kill(group.primary.pid, 'SIGKILL')`) to make the Sentinels promote the replica.
 *
 * @example
 * ```ts
 * const group = await startRedisSentinel();
 * const redis = await createSentinel({ name: group.name, sentinelRootNodes: group.sentinelRootNodes }).connect();
 * // …
 * redis.destroy();
 * await group.stop();
 * ```
 * @throws {Error} when `redis-server`, `redis-sentinel` or `redis-cli` is not installed (the message says how to
 *   install it), or the group is not ready within 30 s; every process started is stopped first.
 */
export async function startRedisSentinel(options: StartRedisSentinelOptions = {}): Promise<RedisSentinelGroup> {
  const name = options.name ?? 'grantkit';
  const count = options.sentinels ?? 3;
  const quorum = Math.floor(count / 2) + 1;
  const cli = (args: string[]) => redisCli(args, options.cliCommand);
  const directory = await mkdtemp(join(tmpdir(), 'grantkit-redis-sentinel-'));
  const processes: RedisProcess[] = [];
  const stop = async () => {
    await stopAll(processes);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    // In the temporary folder: the replica writes the snapshot it syncs from into its working directory.
    const primary = await startRedisServer({ command: options.command, args: ['--dir', directory] });
    processes.push(primary);
    const replicaOf = ['--replicaof', '127.0.0.1', String(primary.port), '--dir', directory];
    const replica = await startRedisServer({ command: options.command, args: replicaOf });
    processes.push(replica);
    // Synced before the Sentinels look, so their first INFO of the primary lists the replica.
    await until(
      async () => (await cli(['-p', String(replica.port), 'info', 'replication'])).includes('master_link_status:up'),
      READY_TIMEOUT_MS,
      `The replica on port ${replica.port} did not sync with the primary within 30 s.`,
    );
    const sentinels: RedisProcess[] = [];
    for (let index = 0; index < count; index += 1) {
      const port = await freePort();
      const configFile = join(directory, `sentinel-${port}.conf`);
      await writeFile(
        configFile,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${directory}`,
          `sentinel monitor ${name} 127.0.0.1 ${primary.port} ${quorum}`,
          `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1_000}`,
          `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 2_000}`,
          '',
        ].join('\n'),
      );
      const sentinel = await spawnRedis({
        command: options.sentinelCommand ?? 'redis-sentinel',
        args: [configFile],
        port,
        readyText: 'Sentinel ID is',
        installHint: SENTINEL_HINT,
      });
      processes.push(sentinel);
      sentinels.push(sentinel);
    }
    for (const sentinel of sentinels) {
      const ask = (command: string) => cli(['-p', String(sentinel.port), 'sentinel', command, name]);
      await until(
        async () =>
          (await ask('replicas')).includes(String(replica.port)) &&
          (await ask('sentinels')).split('\n').filter((line) => line === 'name').length === count - 1,
        READY_TIMEOUT_MS,
        `The Sentinel on port ${sentinel.port} did not learn of the replica and the other Sentinels within 30 s.`,
      );
    }
    const primaryPort = async () => {
      for (const sentinel of sentinels) {
        const reply = await cli(['-p', String(sentinel.port), 'sentinel', 'get-master-addr-by-name', name]).catch(
          () => '',
        );
        const port = Number(reply.split('\n')[1]);
        if (port > 0) return port;
      }
      throw new Error(`No Sentinel of "${name}" answered with the primary's address.`);
    };
    return {
      name,
      primary,
      replica,
      sentinels,
      sentinelRootNodes: sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })),
      primaryPort,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
