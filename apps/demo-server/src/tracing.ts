import { ConfigurationError } from '@grantkit/core';

/** The OpenTelemetry SDK, exporting grantkit's spans over OTLP/HTTP. */
export interface Tracing {
  /** Where spans go, e.g. `http://127.0.0.1:4318/v1/traces`. */
  url: string;
  serviceName: string;
  /** Stops the instrumentation, sends the spans still queued and shuts the SDK down. */
  shutdown(): Promise<void>;
}

/** How long {@link Tracing.shutdown} waits for the collector, so that a dead one cannot stop Ctrl+C. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Where the OTLP exporter sends spans (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
 * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`), without credentials or query, to print.
 */
function tracesUrl(env: Record<string, string | undefined>, endpoint: string): string {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const name = specific ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const url = URL.parse(specific || `${endpoint.replace(/\/+$/, '')}/v1/traces`);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigurationError(
      `${name} must be the http(s) URL of an OTLP/HTTP receiver, such as http://127.0.0.1:4318.`,
    );
  }
  return `${url.origin}${url.pathname}`;
}

/**
 * With `OTEL_EXPORTER_OTLP_ENDPOINT` set, loads the OpenTelemetry SDK, exports
 * spans to that receiver with the OTLP/HTTP exporter (JSON), and turns
 * grantkit's events into spans with `instrumentGrantKit()`. The exporter reads
 * the other `OTEL_EXPORTER_OTLP_*` variables itself (headers, timeout, a
 * traces-only endpoint); the service is `demo-server` unless `OTEL_SERVICE_NAME`
 * or `OTEL_RESOURCE_ATTRIBUTES` say otherwise. Without the variable, nothing of
 * OpenTelemetry is loaded and this returns `undefined`.
 */
export async function startTracing(env: Record<string, string | undefined>): Promise<Tracing | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  const url = tracesUrl(env, endpoint);
  const [{ OTLPTraceExporter }, { BatchSpanProcessor, TracerProvider }, resources, { instrumentGrantKit }] =
    await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/resources'),
      import('@grantkit/opentelemetry'),
    ]);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'demo-server' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  const stop = instrumentGrantKit({ tracerProvider });
  return {
    url,
    serviceName: String(resource.attributes['service.name']),
    shutdown: async () => {
      stop();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS);
      });
      await Promise.race([tracerProvider.shutdown(), late]).finally(() => clearTimeout(timer));
    },
  };
}
