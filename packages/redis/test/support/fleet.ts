// Starts N worker processes (fleet-worker.ts under tsx, `child_process.fork`) that share one Redis, and
// drives them: concurrent API calls in every instance at once, SIGKILL of one instance, collected events.
import { fileURLToPath } from 'node:url';
import { forkWorkers } from '@grantkit/process-fleet';
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
  const workers = forkWorkers<ToWorker, ToParent>({
    script: WORKER,
    size,
    onNotice: (worker, message) => events.push({ worker, message }),
  });

  return {
    size,
    events,
    async started() {
      await workers.askAll('ready', (_worker, id) => ({ type: 'ping', id }));
    },
    async reset(config) {
      workers.respawnKilled();
      events.length = 0;
      await workers.askAll('ready', (index, id) => ({ type: 'start', id, config: { ...config, index } }));
    },
    async calls(count) {
      const replies = await workers.askAll('answered', (_worker, id) => ({ type: 'calls', id, count }));
      return replies.map(({ worker, reply }) => ({ worker, answered: reply.answered, failures: reply.failures }));
    },
    async redisReady() {
      await workers.askAll('ready', (_worker, id) => ({ type: 'redis-ready', id }));
    },
    kill: (worker) => workers.kill(worker),
    stop: () => workers.stop(),
  };
}
