import { type GrantKitEvent, type HttpEvent, subscribe, type TokenAcquireEvent } from '@grantkit/core';
import {
  type Attributes,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** Options of {@link instrumentGrantKit}. */
export interface GrantKitInstrumentationOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`). */
  tracerProvider?: TracerProvider | undefined;
  /** Where metrics go. Default: the global meter provider (`metrics.setGlobalMeterProvider`). */
  meterProvider?: MeterProvider | undefined;
}

const SCOPE = '@grantkit/opentelemetry';
const SECONDS = 1_000;

function serverAddress(url: string): { host: string; port: number | undefined } {
  const parsed = URL.parse(url);
  if (!parsed) return { host: '', port: undefined };
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  return { host: parsed.hostname, port };
}

/** The stable HTTP client attributes of a token request. */
function httpAttributes(event: HttpEvent): Attributes {
  const { host, port } = serverAddress(event.url);
  const attributes: Attributes = {
    'http.request.method': event.method,
    'server.address': host,
    'url.full': event.url,
  };
  if (port !== undefined) attributes['server.port'] = port;
  if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
  if (event.resendCount > 0) attributes['http.request.resend_count'] = event.resendCount;
  const errorType =
    event.errorCode ?? (event.status !== undefined && event.status >= 400 ? String(event.status) : undefined);
  if (errorType !== undefined) attributes['error.type'] = errorType;
  return attributes;
}

/**
 * Turns grantkit's events into OpenTelemetry spans and metrics, until the returned function is called.
 *
 * Spans: an INTERNAL `grantkit.token.acquire` per token acquisition (attributes `grantkit.token.reason`,
 * `grantkit.token.outcome`, `grantkit.token.attempts`), its token requests as CLIENT children with the stable
 * HTTP client attributes. Metrics: `grantkit.token.requests` (by `grantkit.token.outcome`),
 * `grantkit.token.request.duration` (s), `grantkit.token.cache.lookups` (by `grantkit.token.cache.outcome`),
 * `grantkit.lock.wait.duration` (s, by `grantkit.lock.outcome`), `grantkit.store.fallbacks` (by
 * `grantkit.store.fallback.reason`), `grantkit.store.errors` (by `error.type`),
 * `grantkit.authorization.callbacks` (SmithCart's `handleCallback`, by `grantkit.callback.outcome` and
 * `error.type`). Nothing carries a token or a credential.
 *
 * @returns A function that stops the instrumentation (open spans are ended).
 * @example
 * ```ts
 * import { instrumentGrantKit } from '@grantkit/opentelemetry';
 *
 * const stop = instrumentGrantKit(); // the global tracer and meter providers
 * // … on shutdown
 * stop();
 * ```
 */
export function instrumentGrantKit(options: GrantKitInstrumentationOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const tokenRequests = meter.createCounter('grantkit.token.requests', {
    description: 'Token acquisitions (a caller that needed a token the cache could not give), by outcome.',
    unit: '{acquisition}',
  });
  const requestDuration = meter.createHistogram('grantkit.token.request.duration', {
    description: 'Duration of the HTTP requests to the token endpoint.',
    unit: 's',
  });
  const cacheLookups = meter.createCounter('grantkit.token.cache.lookups', {
    description: 'Lookups of the in-process token cache, by outcome (hit or miss).',
    unit: '{lookup}',
  });
  const lockWait = meter.createHistogram('grantkit.lock.wait.duration', {
    description: "Time an instance waited on another instance's renewal lock.",
    unit: 's',
  });
  const storeFallbacks = meter.createCounter('grantkit.store.fallbacks', {
    description: 'Times a shared token store could not be used and this process got its own token, by reason.',
    unit: '{fallback}',
  });
  const storeErrors = meter.createCounter('grantkit.store.errors', {
    description: 'Failed commands of a shared token store, by error type.',
    unit: '{error}',
  });
  const callbacks = meter.createCounter('grantkit.authorization.callbacks', {
    description: 'SmithCart authorization callbacks read by handleCallback, by outcome (granted or error).',
    unit: '{callback}',
  });
  const acquisitions = new Map<number, Span>();

  const onToken = (event: TokenAcquireEvent) => {
    if (event.phase === 'start') {
      const span = tracer.startSpan(
        'grantkit.token.acquire',
        { kind: SpanKind.INTERNAL, attributes: { 'grantkit.token.reason': event.reason } },
        context.active(),
      );
      acquisitions.set(event.id, span);
      return;
    }
    const span = acquisitions.get(event.id);
    acquisitions.delete(event.id);
    const outcome = event.outcome ?? 'failed';
    tokenRequests.add(1, { 'grantkit.token.outcome': outcome, 'grantkit.token.reason': event.reason });
    if (!span) return;
    span.setAttribute('grantkit.token.outcome', outcome);
    if (event.attempts !== undefined && event.attempts > 0)
      span.setAttribute('grantkit.token.attempts', event.attempts);
    if (event.phase === 'error') {
      span.setAttribute('error.type', event.errorCode ?? 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };

  const onHttp = (event: HttpEvent) => {
    if (event.purpose !== 'token') return;
    const attributes = httpAttributes(event);
    const { 'url.full': _url, ...metricAttributes } = attributes;
    requestDuration.record(event.duration / SECONDS, metricAttributes);
    const parent = event.parentId === undefined ? undefined : acquisitions.get(event.parentId);
    const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(
      event.method,
      { kind: SpanKind.CLIENT, startTime: event.startTime, attributes },
      parentContext,
    );
    if ('error.type' in attributes) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(event.startTime + event.duration);
  };

  const onEvent = (event: GrantKitEvent) => {
    switch (event.channel) {
      case 'grantkit:token':
        return onToken(event);
      case 'grantkit:http':
        return onHttp(event);
      case 'grantkit:token:cache':
        return cacheLookups.add(1, { 'grantkit.token.cache.outcome': event.outcome });
      case 'grantkit:lock':
        if (event.waitDuration !== undefined) {
          lockWait.record(event.waitDuration / SECONDS, { 'grantkit.lock.outcome': event.action });
        }
        return;
      case 'grantkit:store':
        if (event.action === 'fallback') {
          storeFallbacks.add(1, { 'grantkit.store.fallback.reason': event.reason ?? 'unknown' });
        } else if (event.action === 'error') {
          storeErrors.add(1, { 'error.type': event.errorCode ?? 'unknown' });
        }
        return;
      case 'grantkit:callback':
        return callbacks.add(
          1,
          event.errorCode === undefined
            ? { 'grantkit.callback.outcome': event.outcome }
            : { 'grantkit.callback.outcome': event.outcome, 'error.type': event.errorCode },
        );
      default:
        return;
    }
  };

  const stops = [
    subscribe('grantkit:token', onEvent),
    subscribe('grantkit:http', onEvent),
    subscribe('grantkit:token:cache', onEvent),
    subscribe('grantkit:lock', onEvent),
    subscribe('grantkit:store', onEvent),
    subscribe('grantkit:callback', onEvent),
  ];
  return () => {
    for (const stop of stops) stop();
    for (const span of acquisitions.values()) span.end();
    acquisitions.clear();
  };
}
