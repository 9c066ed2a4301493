// One instance of a fleet, in its own process (forked by fleet.ts under tsx): its own OpenTelemetry SDK
// (in-memory span exporter and metric reader, instrumentGrantKit), its own Redis connection and
// RedisTokenStore, and a SmartConnect client on it. The parent sends commands over IPC; the worker answers,
// reports each fleet lock event as it happens, and sends its finished spans and collected metrics on demand.
import { subscribe } from '@grantkit/core';
import { answerParent, settleCalls } from '@grantkit/process-fleet';
import { RedisTokenStore } from '@grantkit/redis';
import { createSmartConnectClient } from '@grantkit/smartconnect';
import { createClient } from 'redis';
import type { ToParent, ToWorker, WorkerConfig } from './fleet-protocol.js';
import { type InMemoryTelemetry, instrumentInMemory, spanRecord } from './telemetry.js';

const send = (message: ToParent) => process.send?.(message);

// The parent holds the token endpoint until every other instance waits on the lock: it learns that from here.
subscribe('grantkit:lock', (event) => send({ type: 'lock', action: event.action }));

let telemetry: InMemoryTelemetry | undefined;
let redis: ReturnType<typeof createClient> | undefined;
let store: RedisTokenStore | undefined;
let client: ReturnType<typeof createSmartConnectClient> | undefined;

async function close(): Promise<void> {
  store?.close();
  redis?.destroy();
  await telemetry?.close();
}

async function start(config: WorkerConfig): Promise<void> {
  // A new test: a new SDK, Redis connection, store and client, nothing kept from the last one.
  await close();
  telemetry = instrumentInMemory();
  redis = createClient({ url: config.redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  store = new RedisTokenStore({ client: redis, encryptionKey: config.encryptionKey, ...config.store });
  const worker = String(config.index);
  client = createSmartConnectClient({
    baseUrl: config.mockUrl,
    credentials: config.credentials,
    tokenStore: store,
    timeout: config.timeoutMs,
    // Tells the test which instance sent a token request (to SIGKILL the lock holder).
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set('x-fleet-worker', worker);
      return fetch(request);
    },
  });
}

answerParent<ToWorker>(async (message) => {
  switch (message.type) {
    case 'start':
      await start(message.config);
      return { type: 'ready', id: message.id } satisfies ToParent;
    case 'calls':
      return {
        type: 'answered',
        id: message.id,
        ...(await settleCalls(message.count, async () => client?.api.get('api/v1/me').json())),
      } satisfies ToParent;
    case 'telemetry':
      return {
        type: 'telemetry',
        id: message.id,
        spans: telemetry?.spans().map(spanRecord) ?? [],
        metrics: (await telemetry?.metrics()) ?? [],
      } satisfies ToParent;
    case 'ping':
      return { type: 'pong', id: message.id, node: process.version } satisfies ToParent;
    case 'stop':
      await close();
      process.exit(0);
  }
});
