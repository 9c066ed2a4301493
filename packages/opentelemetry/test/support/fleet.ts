// Forks N worker processes (fleet-worker.ts under tsx, on this very Node binary) that share one Redis, and
// drives them over IPC: concurrent API calls in every instance at once, SIGKILL of one instance, the lock
// events as they happen, and each instance's spans and metrics at the end.
import { fileURLToPath } from 'node:url';
import { forkWorkers } from '@grantkit/process-fleet';
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
  let actions: LockAction[] = [];
  let lockWaiters: (() => void)[] = [];
  const workers = forkWorkers<ToWorker, ToParent>({
    script: WORKER,
    size,
    onNotice(_worker, message) {
      if (message.type !== 'lock') return;
      actions.push(message.action);
      for (const check of lockWaiters) check();
    },
  });

  return {
    size,
    async started() {
      const replies = await workers.askAll('pong', (_worker, id) => ({ type: 'ping', id }));
      const others = replies.filter(({ reply }) => reply.node !== process.version);
      if (others.length > 0)
        throw new Error(`An instance runs on Node ${others[0]?.reply.node}, not ${process.version}`);
    },
    async reset(config) {
      workers.respawnKilled();
      actions = [];
      lockWaiters = [];
      await workers.askAll('ready', (index, id) => ({ type: 'start', id, config: { ...config, index } }));
    },
    async calls(count) {
      const replies = await workers.askAll('answered', (_worker, id) => ({ type: 'calls', id, count }));
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
      const replies = await workers.askAll('telemetry', (_worker, id) => ({ type: 'telemetry', id }));
      return replies.map(({ worker, reply }) => ({ worker, spans: reply.spans, metrics: reply.metrics }));
    },
    kill: (worker) => workers.kill(worker),
    stop: () => workers.stop(),
  };
}
