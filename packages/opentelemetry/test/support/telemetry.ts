import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient, type SmartConnectClientOptions } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { instrumentGrantKit } from '../../src/index.js';

export const credentials: { username: string; password: string; clientId: string; clientSecret: string } = {
  ...SMARTCONNECT_DEMO_USER,
  ...SMARTCONNECT_DEMO_CLIENT,
};

/** The SmartConnect mock over HTTP, a client of it, and the OpenTelemetry SDK with in-memory exporters. */
export interface Telemetry {
  mock: MockSmartConnect;
  server: ServedHandler;
  clock: { now: number };
  client(options?: Partial<SmartConnectClientOptions>): ReturnType<typeof createSmartConnectClient>;
  spans(): ReadableSpan[];
  /** Sum of a counter's points (or a histogram's counts) per value of `by`. */
  metric(name: string, by: string): Promise<Record<string, number>>;
  /** Every attribute of every span and metric point, as one text. */
  everything(): Promise<string>;
  close(): Promise<void>;
}

export async function startTelemetry(): Promise<Telemetry> {
  const clock = { now: Date.UTC(2026, 10, 23, 12) };
  const mock = createMockSmartConnect({ now: () => clock.now, tokenTtlSeconds: 3600 });
  const server = await serveFetchHandler(mock);
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrumentGrantKit({ tracerProvider, meterProvider });

  const points = async () => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    mock,
    server,
    clock,
    client: (options = {}) =>
      createSmartConnectClient({
        baseUrl: server.url,
        credentials,
        now: () => clock.now,
        tokenRetry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...options,
      } as SmartConnectClientOptions),
    spans: () => spanExporter.getFinishedSpans(),
    async metric(name, by) {
      const found = (await points()).find((metric) => metric.descriptor.name === name);
      const totals: Record<string, number> = {};
      for (const point of found?.dataPoints ?? []) {
        const key = String((point.attributes as Attributes)[by]);
        const value = point.value as number | { count: number };
        totals[key] = (totals[key] ?? 0) + (typeof value === 'number' ? value : value.count);
      }
      return totals;
    },
    async everything() {
      const spanViews = spanExporter
        .getFinishedSpans()
        .map((span) => JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events }));
      const metricViews = (await points()).map((metric) => JSON.stringify(metric.dataPoints));
      return [...spanViews, ...metricViews].join('\n');
    },
    async close() {
      stop();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      await server.close();
    },
  };
}

export const acquireSpans = (spans: ReadableSpan[]): ReadableSpan[] =>
  spans.filter((span) => span.name === 'grantkit.token.acquire');
export const tokenRequestSpans = (spans: ReadableSpan[]): ReadableSpan[] =>
  spans.filter((span) => span.name === 'POST');
