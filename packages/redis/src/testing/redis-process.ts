import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A Redis program that `@grantkit/redis/testing` started: `redis-server` or `redis-sentinel`. */
export interface RedisProcess {
  port: number;
  pid: number;
  /** Stops it (SIGCONT, then SIGTERM by PID) and resolves once it has exited. */
  stop(): Promise<void>;
}

interface SpawnRedisOptions {
  command: string;
  args: string[];
  port: number;
  /** The log line that says it is ready. */
  readyText: string;
  /** What to install when `command` is missing. */
  installHint: string;
}

const START_TIMEOUT_MS = 10_000;

/** Whether nothing listens on `port` of 127.0.0.1. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A free port whose Redis Cluster bus port (port + 10000) is free too. */
export async function freeClusterPort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
  throw new Error('No free pair of ports (port and port + 10000) for a Redis Cluster node on 127.0.0.1.');
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a Redis program and resolves once it logged `readyText`; it is SIGKILLed when this process exits. */
export async function spawnRedis(options: SpawnRedisOptions): Promise<RedisProcess> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`${options.command} did not start within 10 s:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? new Error(options.installHint) : error),
    );
    const onExit = (code: number | null) => fail(new Error(`${options.command} exited with ${code}:\n${output}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(options.readyText)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port: options.port,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // A paused server must be resumed to act on SIGTERM.
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}

const CLI_HINT =
  'redis-cli is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-tools`; macOS: `brew install redis`), then run the tests again.';

/** Runs `redis-cli` with `args` (bounded to 30 s) and resolves with what it printed. */
export function redisCli(args: string[], command = 'redis-cli'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new Error(CLI_HINT));
      else if (error) reject(new Error(`redis-cli ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Asks `ask` every 100 ms until it resolves `true`; rejects with `failure` after `timeoutMs`. */
export async function until(ask: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await ask().catch(() => false)) return;
    if (performance.now() >= deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops every process, whatever happens to the others. */
export async function stopAll(processes: readonly { stop(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(processes.map((process) => process.stop()));
}
