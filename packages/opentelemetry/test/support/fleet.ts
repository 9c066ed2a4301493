// Forks N worker processes (fleet-worker.ts under tsx, on this very Node binary) that share one Redis, and
// drives them over IPC: concurrent API calls in every instance at once, SIGKILL of one instance, the lock
// events as they happen, and each instance's spans and metrics at the end.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ToParent, ToWorker, WorkerConfig } from './fleet-protocol.js';
import type { MetricRecord, SpanRecord } from './telemetry.js';

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

type LockAction = Extract<ToParent, { type: 'lock' }>['action'];

/** What one instance recorded with its own OpenTelemetry SDK. */
export interface InstanceTelemetry {
  worker: number;
  spans: SpanRecord[];
  metrics: MetricRecord[];
}

export interface Fleet {
  readonly size: number;
  /** Resolves once every instance has started (its modules loaded) on the Node that runs this process. */
  started(): Promise<void>;
  /**
   * Starts over for the next test: forks again any instance that was killed, and gives every instance a new
   * OpenTelemetry SDK, Redis connection, store and SmartConnect client with `config`. Forgets the lock events.
   */
  reset(config: Omit<WorkerConfig, 'index'>): Promise<void>;
  /** `count` concurrent API calls in every live instance; resolves with the outcome of each one still alive. */
  calls(count: number): Promise<{ worker: number; answered: number; failures: string[] }[]>;
  /** Resolves once `count` lock events with `action` have arrived from the fleet since the last reset. */
  lockEvents(action: LockAction, count: number): Promise<void>;
  /** The finished spans and collected metrics of every live instance. */
  telemetry(): Promise<InstanceTelemetry[]>;
  /** SIGKILLs one instance; it takes no further part. */
  kill(worker: number): void;
  stop(): Promise<void>;
}

/** Forks `size` instances; call `reset` before each test to configure them. */
export function startFleet(size: number): Fleet {
  const pending = new Map<number, { worker: number; resolve: (message: ToParent | undefined) => void }>();
  let nextId = 0;
  const children: ChildProcess[] = [];
  const dead = new Set<number>();
  let actions: LockAction[] = [];
  let lockWaiters: (() => void)[] = [];
  const crashes: string[] = [];

  // Resolves with the answer, or with undefined when the instance died first.
  const ask = (worker: number, message: ToWorker & { id: number }) =>
    new Promise<ToParent | undefined>((resolve) => {
      pending.set(message.id, { worker, resolve });
      children[worker]?.send(message, (error) => error && resolve(undefined));
    });

  const spawnWorker = (index: number) => {
    const child = fork(WORKER, [], {
      // The same Node as this process, and the workspace packages from source (the @grantkit/source condition).
      execPath: process.execPath,
      execArgv: ['--conditions=@grantkit/source', '--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: ToParent) => {
      if ('id' in message) {
        pending.get(message.id)?.resolve(message);
        pending.delete(message.id);
      } else if (message.type === 'lock') {
        actions.push(message.action);
        for (const check of lockWaiters) check();
      } else {
        crashes.push(`worker ${index}: ${message.message}`);
      }
    });
    child.on('exit', () => {
      for (const [id, asked] of pending) {
        if (asked.worker !== index) continue;
        pending.delete(id);
        asked.resolve(undefined);
      }
    });
    children[index] = child;
  };
  for (let index = 0; index < size; index += 1) spawnWorker(index);
  const live = () => children.flatMap((_, index) => (dead.has(index) ? [] : [index]));

  const askAll = async <T extends ToParent['type']>(
    type: T,
    message: (worker: number) => ToWorker & { id: number },
  ): Promise<{ worker: number; reply: Extract<ToParent, { type: T }> }[]> => {
    const replies = await Promise.all(
      live().map(async (worker) => ({ worker, reply: await ask(worker, message(worker)) })),
    );
    return replies.flatMap(({ worker, reply }) => {
      if (reply === undefined && dead.has(worker)) return [];
      if (reply?.type !== type) {
        throw new Error(`worker ${worker} answered ${reply?.type ?? 'nothing'} ${crashes.join('; ')}`);
      }
      return [{ worker, reply: reply as Extract<ToParent, { type: T }> }];
    });
  };

  return {
    size,
    async started() {
      const replies = await askAll('pong', () => ({ type: 'ping', id: nextId++ }));
      const others = replies.filter(({ reply }) => reply.node !== process.version);
      if (others.length > 0)
        throw new Error(`An instance runs on Node ${others[0]?.reply.node}, not ${process.version}`);
    },
    async reset(config) {
      for (const index of dead) spawnWorker(index);
      dead.clear();
      actions = [];
      lockWaiters = [];
      await askAll('ready', (index) => ({ type: 'start', id: nextId++, config: { ...config, index } }));
    },
    async calls(count) {
      const replies = await askAll('answered', () => ({ type: 'calls', id: nextId++, count }));
      return replies.map(({ worker, reply }) => ({ worker, answered: reply.answered, failures: reply.failures }));
    },
    lockEvents(action, count) {
      return new Promise((resolve) => {
        const check = () => {
          if (actions.filter((seen) => seen === action).length < count) return;
          lockWaiters = lockWaiters.filter((waiter) => waiter !== check);
          resolve();
        };
        lockWaiters.push(check);
        check();
      });
    },
    async telemetry() {
      const replies = await askAll('telemetry', () => ({ type: 'telemetry', id: nextId++ }));
      return replies.map(({ worker, reply }) => ({ worker, spans: reply.spans, metrics: reply.metrics }));
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
