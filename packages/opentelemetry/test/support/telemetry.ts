import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient, type SmartConnectClientOptions } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import type { Attributes, SpanKind } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { instrumentGrantKit } from '../../src/index.js';

export const credentials: { username: string; password: string; clientId: string; clientSecret: string } = {
  ...SMARTCONNECT_DEMO_USER,
  ...SMARTCONNECT_DEMO_CLIENT,
};

/** A finished span as plain data (it crosses process boundaries over IPC). */
export interface SpanRecord {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  events: { name: string; attributes: Attributes | undefined }[];
}

/** A metric's points as plain data: a counter's value, or a histogram's count. */
export interface MetricRecord {
  name: string;
  points: { attributes: Attributes; value: number }[];
}

export function spanRecord(span: ReadableSpan): SpanRecord {
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
  };
}

function metricRecords(metrics: MetricData[]): MetricRecord[] {
  return metrics.map((metric) => ({
    name: metric.descriptor.name,
    points: metric.dataPoints.map((point) => {
      const value = point.value as number | { count: number };
      return { attributes: point.attributes, value: typeof value === 'number' ? value : value.count };
    }),
  }));
}

/** Sum of a counter's points (or a histogram's counts) per value of the attribute `by`. */
export function totals(metrics: MetricRecord[], name: string, by: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const point of metrics.find((metric) => metric.name === name)?.points ?? []) {
    const key = String(point.attributes[by]);
    found[key] = (found[key] ?? 0) + point.value;
  }
  return found;
}

/** Every name and attribute of every span, span event and metric point, as one text. */
export function telemetryText(spans: SpanRecord[], metrics: MetricRecord[]): string {
  const spanViews = spans.map(({ name, attributes, events }) => JSON.stringify({ name, attributes, events }));
  const metricViews = metrics.map((metric) => JSON.stringify(metric));
  return [...spanViews, ...metricViews].join('\n');
}

/** The OpenTelemetry SDK with an in-memory span exporter and metric reader, fed by `instrumentGrantKit`. */
export interface InMemoryTelemetry {
  spans(): ReadableSpan[];
  metrics(): Promise<MetricRecord[]>;
  close(): Promise<void>;
}

export function instrumentInMemory(): InMemoryTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrumentGrantKit({ tracerProvider, meterProvider });
  return {
    spans: () => spanExporter.getFinishedSpans(),
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      return metricRecords(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics));
    },
    async close() {
      stop();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

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
  const sdk = instrumentInMemory();
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
        // The suites count spans and metrics, never durations: a loaded machine must not turn a call into a timeout.
        timeout: 60_000,
        ...options,
      } as SmartConnectClientOptions),
    spans: sdk.spans,
    metric: async (name, by) => totals(await sdk.metrics(), name, by),
    everything: async () => telemetryText(sdk.spans().map(spanRecord), await sdk.metrics()),
    async close() {
      await sdk.close();
      await server.close();
    },
  };
}

export const acquireSpans = <T extends { name: string }>(spans: T[]): T[] =>
  spans.filter((span) => span.name === 'grantkit.token.acquire');
export const tokenRequestSpans = <T extends { name: string }>(spans: T[]): T[] =>
  spans.filter((span) => span.name === 'POST');
