// Starts N worker processes (fleet-worker.ts under tsx, `child_process.fork`) that share one Redis, and
// drives them: concurrent API calls in every instance at once, SIGKILL of one instance, collected events.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ToParent, ToWorker, WorkerConfig } from './fleet-protocol.js';

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

interface FleetEvent {
  worker: number;
  message: ToParent;
}

export interface Fleet {
  readonly size: number;
  /** Resolves once every instance has started (its modules loaded). */
  started(): Promise<void>;
  /**
   * Starts over for the next test: forks again any instance that was killed, and gives every instance a
   * new Redis connection, store and SmartConnect client with `config`. Clears `events`.
   */
  reset(config: Omit<WorkerConfig, 'index'>): Promise<void>;
  /** `count` concurrent API calls in every live instance; resolves with the outcome of each one still alive. */
  calls(count: number): Promise<{ worker: number; answered: number; failures: string[] }[]>;
  /** Resolves once every live instance's Redis client is connected again. */
  redisReady(): Promise<void>;
  /** SIGKILLs one instance; it takes no further part. */
  kill(worker: number): void;
  /** Fallback and recovery reports, in order of arrival. */
  readonly events: FleetEvent[];
  stop(): Promise<void>;
}

/** Forks `size` instances; call `reset` before each test to configure them. */
export function startFleet(size: number): Fleet {
  const events: FleetEvent[] = [];
  const pending = new Map<number, { worker: number; resolve: (message: ToParent | undefined) => void }>();
  let nextId = 0;
  const children: ChildProcess[] = [];
  const dead = new Set<number>();

  // Resolves with the answer, or with undefined when the instance died first.
  const ask = (worker: number, message: ToWorker & { id: number }) =>
    new Promise<ToParent | undefined>((resolve) => {
      pending.set(message.id, { worker, resolve });
      children[worker]?.send(message, (error) => error && resolve(undefined));
    });

  const spawnWorker = (index: number) => {
    const child = fork(WORKER, [], {
      // The workspace packages from source, as in the tests: the @grantkit/source export condition.
      execArgv: ['--conditions=@grantkit/source', '--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: ToParent) => {
      if ('id' in message) {
        pending.get(message.id)?.resolve(message);
        pending.delete(message.id);
      } else {
        events.push({ worker: index, message });
      }
    });
    child.on('exit', () => {
      for (const [id, ask] of pending) {
        if (ask.worker !== index) continue;
        pending.delete(id);
        ask.resolve(undefined);
      }
    });
    children[index] = child;
  };
  for (let index = 0; index < size; index += 1) spawnWorker(index);
  const live = () => children.flatMap((_, index) => (dead.has(index) ? [] : [index]));

  return {
    size,
    events,
    async started() {
      const replies = await Promise.all(live().map((index) => ask(index, { type: 'ping', id: nextId++ })));
      if (replies.some((reply) => reply?.type !== 'ready')) throw new Error('An instance of the fleet did not start');
    },
    async reset(config) {
      for (const index of dead) spawnWorker(index);
      dead.clear();
      events.length = 0;
      const replies = await Promise.all(
        live().map((index) => ask(index, { type: 'start', id: nextId++, config: { ...config, index } })),
      );
      if (replies.some((reply) => reply?.type !== 'ready')) throw new Error('An instance of the fleet did not start');
    },
    async calls(count) {
      const replies = await Promise.all(
        live().map(async (worker) => ({ worker, reply: await ask(worker, { type: 'calls', id: nextId++, count }) })),
      );
      return replies.flatMap(({ worker, reply }) => {
        if (reply === undefined && dead.has(worker)) return [];
        if (reply?.type !== 'answered') throw new Error(`worker ${worker} answered ${reply?.type ?? 'nothing'}`);
        return [{ worker, answered: reply.answered, failures: reply.failures }];
      });
    },
    async redisReady() {
      await Promise.all(live().map((worker) => ask(worker, { type: 'redis-ready', id: nextId++ })));
    },
    kill(worker) {
      dead.add(worker);
      children[worker]?.kill('SIGKILL');
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.send({ type: 'stop' } satisfies ToWorker, () => undefined);
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        ),
      );
    },
  };
}
