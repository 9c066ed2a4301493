import { serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient } from '@grantkit/smartconnect';
import { createMockSmartConnect } from '@grantkit/smartconnect/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { instrumentGrantKit } from '../src/index.js';
import { startOtlpReceiver } from './support/otlp-receiver.js';
import { credentials } from './support/telemetry.js';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe('the OTLP/HTTP exporter (JSON)', () => {
  it('delivers the acquisition span and its token request span to a receiver on 127.0.0.1', async () => {
    const receiver = await startOtlpReceiver();
    closing.push(() => receiver.close());
    const provider = await serveFetchHandler(createMockSmartConnect());
    closing.push(() => provider.close());
    const tracerProvider = new TracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }) }),
      ],
    });
    const stop = instrumentGrantKit({ tracerProvider });
    closing.push(async () => {
      stop();
      await tracerProvider.shutdown();
    });

    const client = createSmartConnectClient({ baseUrl: provider.url, credentials });
    await client.api.get('api/v1/me').json();
    await tracerProvider.forceFlush();

    expect(receiver.contentTypes.length).toBeGreaterThan(0);
    expect(receiver.contentTypes.every((contentType) => contentType?.startsWith('application/json'))).toBe(true);
    const spans = receiver.spans();
    const acquire = spans.find((span) => span.name === 'grantkit.token.acquire');
    const request = spans.find((span) => span.name === 'POST');
    expect(acquire).toBeDefined();
    expect(request?.parentSpanId).toBe(acquire?.spanId);
    // OTLP SpanKind: 1 INTERNAL, 3 CLIENT.
    expect([acquire?.kind, request?.kind]).toEqual([1, 3]);
    expect(request?.attributes).toContainEqual({ key: 'url.full', value: { stringValue: `${provider.url}/token` } });
    expect(acquire?.attributes).toContainEqual({ key: 'grantkit.token.outcome', value: { stringValue: 'fetched' } });
  });
});
