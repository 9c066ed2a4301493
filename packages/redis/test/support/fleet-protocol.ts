// The IPC messages between a fleet test and its worker processes.
import type { RedisFallbackEvent, RedisTokenStoreOptions } from '@grantkit/redis';
import type { SmartConnectCredentials } from '@grantkit/smartconnect';

/** The Redis every instance connects to: one server, a Cluster, or a primary found through Sentinels. */
export type RedisTarget =
  | { url: string }
  | { cluster: { url: string }[] }
  | { sentinel: { name: string; sentinelRootNodes: { host: string; port: number }[] } };

export interface WorkerConfig {
  index: number;
  mockUrl: string;
  redis: RedisTarget;
  encryptionKey: string;
  credentials: SmartConnectCredentials;
  renewBeforeMs?: number;
  /** The SmartConnect client's per-request `timeout`. */
  timeout?: number;
  store?: Pick<RedisTokenStoreOptions, 'lockLeaseMs' | 'commandTimeoutMs' | 'pollIntervalMs' | 'maxWaitMs'>;
}

export type ToWorker =
  | { type: 'start'; id: number; config: WorkerConfig }
  | { type: 'calls'; id: number; count: number }
  | { type: 'redis-ready'; id: number }
  | { type: 'ping'; id: number }
  | { type: 'stop' };

export type ToParent =
  | { type: 'ready'; id: number }
  | { type: 'answered'; id: number; answered: number; failures: string[] }
  | { type: 'fallback'; reason: RedisFallbackEvent['reason']; code: string }
  | { type: 'recovery' }
  | { type: 'crashed'; message: string };
