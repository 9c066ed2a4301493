// The fleet lock of @grantkit/redis as OpenTelemetry sees it: separate processes (child_process.fork), each with
// its own OpenTelemetry SDK (in-memory span exporter and metric reader) and RedisTokenStore, share one real
// redis-server and one mock SmartConnect served here on 127.0.0.1. Each process sends back its spans and
// metrics; every figure asserted is a count. The token endpoint answers only once every other process waits
// on the lock, so which outcome each acquisition has never depends on the machine's speed.
import { randomBytes } from 'node:crypto';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { addUpCalls } from '@grantkit/process-fleet';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { createMockSmartConnect, type MockSmartConnect } from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import { createClient } from 'redis';
import { type Fleet, type InstanceTelemetry, startFleet } from './support/fleet.js';
import type { WorkerConfig } from './support/fleet-protocol.js';
import {
  acquireSpans,
  credentials,
  type SpanRecord,
  telemetryText,
  tokenRequestSpans,
  totals,
} from './support/telemetry.js';

const PROCESSES = 4;
const CALLS = 20;
// Generous: four processes on a shared 2-core machine that runs other suites at the same time.
const FLEET_TIMEOUT_MS = 180_000;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
// No Redis command times out and no lease lapses because the machine is slow (the SIGKILL test uses the default lease).
const STORE: WorkerConfig['store'] = {
  lockLeaseMs: 60_000,
  commandTimeoutMs: 30_000,
  pollIntervalMs: 100,
  maxWaitMs: 120_000,
};

let redis: RedisServer;
let fleet: Fleet;
let served: ServedHandler | undefined;

interface Provider {
  mock: MockSmartConnect;
  url: string;
  /** Every access token the mock issued. */
  issued: string[];
  /** Which instance sent each token request, in order of arrival. */
  requesters: number[];
  /** Awaited before the mock answers a token request (given which instance sent it). */
  beforeToken?: (worker: number) => Promise<void>;
}

async function serveProvider(): Promise<Provider> {
  const mock = createMockSmartConnect();
  const provider: Provider = { mock, url: '', issued: [], requesters: [] };
  served = await serveFetchHandler(async (request) => {
    const isToken = new URL(request.url).pathname === '/token';
    if (isToken) {
      const worker = Number(request.headers.get('x-fleet-worker'));
      provider.requesters.push(worker);
      await provider.beforeToken?.(worker);
    }
    const response = await mock(request);
    if (isToken && response.ok) {
      const { access_token } = (await response.clone().json()) as { access_token: string };
      provider.issued.push(access_token);
    }
    return response;
  });
  provider.url = served.url;
  return provider;
}

function configOf(provider: Provider, store: Partial<WorkerConfig['store']> = {}): Omit<WorkerConfig, 'index'> {
  return {
    mockUrl: provider.url,
    redisUrl: redis.url,
    encryptionKey: ENCRYPTION_KEY,
    credentials,
    store: { ...STORE, ...store },
    timeoutMs: 60_000,
  };
}

/** How many acquisitions have each value of the attribute `by` (their outcome, by default). */
function outcomes(spans: SpanRecord[], by = 'grantkit.token.outcome'): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const span of acquireSpans(spans)) {
    const value = String(span.attributes[by]);
    counted[value] = (counted[value] ?? 0) + 1;
  }
  return counted;
}

/** The outcomes of the acquisitions that were not coalesced in their process, with their reasons. */
const ownAcquisitions = (spans: SpanRecord[]) =>
  acquireSpans(spans)
    .filter((span) => span.attributes['grantkit.token.outcome'] !== 'coalesced')
    .map((span) => [span.attributes['grantkit.token.reason'], span.attributes['grantkit.token.outcome']]);

/** Checks what every instance recorded, whatever the scenario: metrics that agree with the spans, no secret. */
function expectConsistent(instances: InstanceTelemetry[], secrets: string[]): void {
  for (const { spans, metrics } of instances) {
    expect(acquireSpans(spans).every((span) => span.kind === SpanKind.INTERNAL)).toBe(true);
    expect(totals(metrics, 'grantkit.token.requests', 'grantkit.token.outcome')).toEqual(outcomes(spans));
    expect(totals(metrics, 'grantkit.token.requests', 'grantkit.token.reason')).toEqual(
      outcomes(spans, 'grantkit.token.reason'),
    );
    // Each token request span is the CLIENT child of an acquisition of its process that fetched.
    for (const request of tokenRequestSpans(spans)) {
      expect(request.kind).toBe(SpanKind.CLIENT);
      const parent = spans.find((span) => span.spanId === request.parentSpanId);
      expect(parent?.name).toBe('grantkit.token.acquire');
      expect(parent?.traceId).toBe(request.traceId);
      expect(parent?.attributes['grantkit.token.outcome']).toBe('fetched');
    }
    expect(totals(metrics, 'grantkit.token.request.duration', 'http.response.status_code')).toEqual(
      tokenRequestSpans(spans).length === 0 ? {} : { '200': tokenRequestSpans(spans).length },
    );
  }
  const text = telemetryText(
    instances.flatMap((instance) => instance.spans),
    instances.flatMap((instance) => instance.metrics),
  );
  expect(text).toContain('grantkit.token.outcome');
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

const secretsOf = (provider: Provider) => [
  ...provider.issued,
  credentials.password,
  credentials.clientSecret,
  credentials.username,
  credentials.clientId,
  ENCRYPTION_KEY,
];

beforeAll(async () => {
  // The processes are forked once for the file; each test gives them a new SDK and clients (fleet.reset).
  fleet = startFleet(PROCESSES);
  redis = await startRedisServer();
  await fleet.started();
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  await fleet?.stop();
  await redis?.stop();
}, FLEET_TIMEOUT_MS);

afterEach(async () => {
  await served?.close();
  served = undefined;
  const admin = createClient({ url: redis.url });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.flushAll();
  admin.destroy();
}, FLEET_TIMEOUT_MS);

describe(`instrumentGrantKit in a fleet of ${PROCESSES} processes sharing one RedisTokenStore`, () => {
  it(
    `records one token request fleet-wide for ${CALLS} concurrent cold calls per process: one acquisition fetched, every other process waited, the rest coalesced`,
    async () => {
      const provider = await serveProvider();
      provider.beforeToken = () => fleet.lockEvents('contended', PROCESSES - 1);
      await fleet.reset(configOf(provider));

      expect(addUpCalls(await fleet.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(1);
      const [holder] = provider.requesters;
      const instances = await fleet.telemetry();
      expect(instances).toHaveLength(PROCESSES);

      const requests = instances.flatMap(({ worker, spans }) => tokenRequestSpans(spans).map(() => worker));
      expect(requests).toEqual([holder]);
      for (const { worker, spans, metrics } of instances) {
        const own = worker === holder ? 'fetched' : 'waited';
        expect(ownAcquisitions(spans)).toEqual([['cold', own]]);
        expect(outcomes(spans)).toEqual({ [own]: 1, coalesced: CALLS - 1 });
        expect(outcomes(spans, 'grantkit.token.reason')).toEqual({ cold: CALLS });
        expect(totals(metrics, 'grantkit.token.cache.lookups', 'grantkit.token.cache.outcome')).toEqual({
          miss: CALLS,
        });
        expect(totals(metrics, 'grantkit.lock.wait.duration', 'grantkit.lock.outcome')).toEqual(
          worker === holder ? { acquired: 1 } : { waited: 1 },
        );
      }
      expectConsistent(instances, secretsOf(provider));
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'records one renewal fleet-wide after the API refuses the token: one rejected acquisition fetched, the other processes waited',
    async () => {
      const provider = await serveProvider();
      // Each token request waits until every other process waits on the lock: once for the cold start, once for the renewal.
      provider.beforeToken = () => fleet.lockEvents('contended', (PROCESSES - 1) * provider.requesters.length);
      await fleet.reset(configOf(provider));
      expect(addUpCalls(await fleet.calls(CALLS)).failures).toEqual([]);

      provider.mock.revokeAllTokens();
      expect(addUpCalls(await fleet.calls(CALLS))).toEqual({ answered: PROCESSES * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(2);
      const [holder, renewer] = provider.requesters;
      const instances = await fleet.telemetry();
      expect(instances).toHaveLength(PROCESSES);

      expect(instances.flatMap(({ spans }) => tokenRequestSpans(spans))).toHaveLength(2);
      for (const { worker, spans, metrics } of instances) {
        expect(ownAcquisitions(spans)).toEqual([
          ['cold', worker === holder ? 'fetched' : 'waited'],
          ['rejected', worker === renewer ? 'fetched' : 'waited'],
        ]);
        // The calls that joined the renewal in flight share its reason.
        const renewals = acquireSpans(spans).length - CALLS;
        expect(outcomes(spans, 'grantkit.token.reason')).toEqual({ cold: CALLS, rejected: renewals });
        const fetched = Number(worker === holder) + Number(worker === renewer);
        expect(totals(metrics, 'grantkit.lock.wait.duration', 'grantkit.lock.outcome')).toEqual({
          ...(fetched > 0 ? { acquired: fetched } : {}),
          ...(fetched < 2 ? { waited: 2 - fetched } : {}),
        });
      }
      expectConsistent(instances, secretsOf(provider));
    },
    FLEET_TIMEOUT_MS,
  );

  it(
    'records the takeover when the lock holder is SIGKILLed mid-request: the survivors show one token request, sent by the instance that took the lock over',
    async () => {
      const provider = await serveProvider();
      provider.beforeToken = async (worker) => {
        if (provider.requesters.length > 1) return;
        await fleet.lockEvents('contended', PROCESSES - 1);
        fleet.kill(worker);
      };
      // The default lease: the dead holder's lock lapses within it, and the new holder keeps it while it renews.
      await fleet.reset(configOf(provider, { lockLeaseMs: 5_000 }));

      expect(addUpCalls(await fleet.calls(CALLS))).toEqual({ answered: (PROCESSES - 1) * CALLS, failures: [] });
      expect(provider.mock.stats.tokenRequests).toBe(2);
      const [killed, taker] = provider.requesters;
      expect(taker).not.toBe(killed);
      const survivors = await fleet.telemetry();
      expect(survivors.map(({ worker }) => worker)).not.toContain(killed);
      expect(survivors).toHaveLength(PROCESSES - 1);

      expect(survivors.flatMap(({ worker, spans }) => tokenRequestSpans(spans).map(() => worker))).toEqual([taker]);
      for (const { worker, spans, metrics } of survivors) {
        const own = worker === taker ? 'fetched' : 'waited';
        expect(ownAcquisitions(spans)).toEqual([['cold', own]]);
        expect(outcomes(spans)).toEqual({ [own]: 1, coalesced: CALLS - 1 });
        expect(totals(metrics, 'grantkit.lock.wait.duration', 'grantkit.lock.outcome')).toEqual(
          worker === taker ? { taken_over: 1 } : { waited: 1 },
        );
      }
      expectConsistent(survivors, secretsOf(provider));
    },
    FLEET_TIMEOUT_MS,
  );
});
