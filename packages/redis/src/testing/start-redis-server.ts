import { freePort, spawnRedis } from './redis-process.js';

/** A `redis-server` started by {@link startRedisServer}. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The server's process id (send it `SIGSTOP` / `SIGCONT` to make Redis hang and resume, `SIGKILL` to crash it). */
  pid: number;
  /** Stops the server (SIGTERM by PID) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** The port; default a free one. Pass a stopped server's port to bring "the same" Redis back. */
  port?: number | undefined;
  /** The binary. Default `redis-server` from the PATH. */
  command?: string | undefined;
  /** More `redis-server` arguments, after the defaults (e.g. `['--replicaof', '127.0.0.1', '6379']`). */
  args?: readonly string[] | undefined;
}

const INSTALL_HINT =
  'redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) — `.ci/run` does it on CI — then run the tests again.';

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 with persistence off
 * (`--save '' --appendonly no`), for tests and benchmarks of a fleet.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * const client = await createClient({ url: redis.url }).connect();
 * // …
 * client.destroy();
 * await redis.stop();
 * ```
 * @throws {Error} when `redis-server` is not installed (the message says how to install it) or does not start.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const server = await spawnRedis({
    command: options.command ?? 'redis-server',
    args: [...args, ...(options.args ?? [])],
    port,
    readyText: 'Ready to accept connections',
    installHint: INSTALL_HINT,
  });
  return { url: `redis://127.0.0.1:${port}`, ...server };
}
