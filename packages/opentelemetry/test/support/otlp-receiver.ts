// An OTLP/HTTP (JSON) trace receiver on 127.0.0.1, for the tests that export for real.
import { serveFetchHandler } from '@grantkit/core/testing';

interface OtlpSpan {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface OtlpTraces {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

export interface OtlpReceiver {
  /** Its root: the exporter's `url` is `${url}/v1/traces`, `OTEL_EXPORTER_OTLP_ENDPOINT` is `url` itself. */
  readonly url: string;
  /** The `content-type` of every export received. */
  readonly contentTypes: (string | null)[];
  /** Every span received so far. */
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const contentTypes: (string | null)[] = [];
  const bodies: OtlpTraces[] = [];
  const server = await serveFetchHandler(async (request) => {
    if (new URL(request.url).pathname === '/v1/traces') {
      contentTypes.push(request.headers.get('content-type'));
      bodies.push((await request.json()) as OtlpTraces);
    }
    return Response.json({});
  });
  return {
    url: server.url,
    contentTypes,
    spans: () =>
      bodies.flatMap((body) =>
        body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
      ),
    close: () => server.close(),
  };
}
