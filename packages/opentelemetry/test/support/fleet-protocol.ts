// The IPC messages between the fleet test and its worker processes (fleet-worker.ts).
import type { LockEvent } from '@grantkit/core';
import type { MetricRecord, SpanRecord } from './telemetry.js';

export interface WorkerConfig {
  index: number;
  mockUrl: string;
  redisUrl: string;
  encryptionKey: string;
  credentials: { username: string; password: string; clientId: string; clientSecret: string };
  store: { lockLeaseMs: number; commandTimeoutMs: number; pollIntervalMs: number; maxWaitMs: number };
  /** Per-request timeout of the client, for the token endpoint and the API. */
  timeoutMs: number;
}

export type ToWorker =
  | { type: 'start'; id: number; config: WorkerConfig }
  | { type: 'calls'; id: number; count: number }
  | { type: 'telemetry'; id: number }
  | { type: 'ping'; id: number }
  | { type: 'stop' };

export type ToParent =
  | { type: 'ready'; id: number }
  | { type: 'pong'; id: number; node: string }
  | { type: 'answered'; id: number; answered: number; failures: string[] }
  | { type: 'telemetry'; id: number; spans: SpanRecord[]; metrics: MetricRecord[] }
  | { type: 'lock'; action: LockEvent['action'] }
  | { type: 'crashed'; message: string };
