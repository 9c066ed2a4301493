// One instance of a fleet, in its own process (forked by fleet.ts under tsx): a SmartConnect client on a
// RedisTokenStore. The parent sends commands over IPC; the worker answers and reports the store's events.
import { answerParent, settleCalls } from '@grantkit/process-fleet';
import { RedisTokenStore } from '@grantkit/redis';
import { createSmartConnectClient } from '@grantkit/smartconnect';
import { createClient, createCluster, createSentinel } from 'redis';
import type { RedisTarget, ToParent, ToWorker, WorkerConfig } from './fleet-protocol.js';

const send = (message: ToParent) => process.send?.(message);

let redis: Awaited<ReturnType<typeof connect>> | undefined;
let store: RedisTokenStore | undefined;
let client: ReturnType<typeof createSmartConnectClient> | undefined;

// The store takes each kind of node-redis client as it is.
async function connect(target: RedisTarget) {
  if ('cluster' in target) {
    return createCluster({ rootNodes: target.cluster })
      .on('error', () => undefined)
      .connect();
  }
  if ('sentinel' in target) {
    return createSentinel(target.sentinel)
      .on('error', () => undefined)
      .connect();
  }
  return createClient({ url: target.url })
    .on('error', () => undefined)
    .connect();
}

async function start(received: WorkerConfig): Promise<void> {
  // A new test: a new Redis connection, store and client, nothing kept from the last one.
  store?.close();
  redis?.destroy();
  redis = await connect(received.redis);
  store = new RedisTokenStore({
    client: redis,
    encryptionKey: received.encryptionKey,
    ...received.store,
    onFallback: (event) => send({ type: 'fallback', reason: event.reason, code: event.error.code }),
    onRecovery: () => send({ type: 'recovery' }),
  });
  const worker = String(received.index);
  client = createSmartConnectClient({
    baseUrl: received.mockUrl,
    credentials: received.credentials,
    tokenStore: store,
    renewBeforeMs: received.renewBeforeMs,
    timeout: received.timeout,
    // Tells the test which instance sent a request (to SIGKILL the lock holder).
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set('x-fleet-worker', worker);
      return fetch(request);
    },
  });
}

async function untilRedisReady(): Promise<void> {
  while (!redis?.isReady) await new Promise((resolve) => setTimeout(resolve, 20));
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
    case 'ping':
      return { type: 'ready', id: message.id } satisfies ToParent;
    case 'redis-ready':
      await untilRedisReady();
      return { type: 'ready', id: message.id } satisfies ToParent;
    case 'stop':
      store?.close();
      redis?.destroy();
      process.exit(0);
  }
});
