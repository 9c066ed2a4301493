import { createAuthorizationRequest, handleCallback, MemoryStateStore } from '@grantkit/smithcart';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  acquireSpans,
  credentials,
  startTelemetry,
  type Telemetry,
  tokenRequestSpans,
} from '../test/support/telemetry.js';

let telemetry: Telemetry;
beforeEach(async () => {
  telemetry = await startTelemetry();
});
afterEach(async () => {
  await telemetry.close();
});

const outcomes = (spans: ReturnType<Telemetry['spans']>) =>
  acquireSpans(spans).map((span) => [
    span.attributes['grantkit.token.reason'],
    span.attributes['grantkit.token.outcome'],
  ]);

describe('instrumentGrantKit', () => {
  describe('on a cold start of 50 concurrent calls', () => {
    it('records 1 acquisition that fetched and 49 that coalesced, the token request as its CLIENT child', async () => {
      const client = telemetry.client();
      await Promise.all(Array.from({ length: 50 }, () => client.api.get('api/v1/me').json()));
      const spans = telemetry.spans();
      const acquired = acquireSpans(spans);
      expect(acquired).toHaveLength(50);
      expect(acquired.every((span) => span.kind === SpanKind.INTERNAL)).toBe(true);
      const fetched = acquired.filter((span) => span.attributes['grantkit.token.outcome'] === 'fetched');
      expect(fetched).toHaveLength(1);
      expect(acquired.filter((span) => span.attributes['grantkit.token.outcome'] === 'coalesced')).toHaveLength(49);

      const [request] = tokenRequestSpans(spans);
      expect(tokenRequestSpans(spans)).toHaveLength(1);
      expect(request?.kind).toBe(SpanKind.CLIENT);
      expect(request?.parentSpanContext?.spanId).toBe(fetched[0]?.spanContext().spanId);
      expect(request?.spanContext().traceId).toBe(fetched[0]?.spanContext().traceId);
      const { hostname, port } = new URL(telemetry.server.url);
      expect(request?.attributes).toEqual({
        'http.request.method': 'POST',
        'server.address': hostname,
        'server.port': Number(port),
        'url.full': `${telemetry.server.url}/token`,
        'http.response.status_code': 200,
      });

      expect(await telemetry.metric('grantkit.token.requests', 'grantkit.token.outcome')).toEqual({
        fetched: 1,
        coalesced: 49,
      });
      expect(await telemetry.metric('grantkit.token.cache.lookups', 'grantkit.token.cache.outcome')).toEqual({
        miss: 50,
      });
      expect(await telemetry.metric('grantkit.token.request.duration', 'http.response.status_code')).toEqual({
        '200': 1,
      });
    });
  });

  it('records a renewal before expiry and a renewal after a 401 with their reasons', async () => {
    const client = telemetry.client();
    await client.api.get('api/v1/me').json();
    await client.api.get('api/v1/me').json();
    telemetry.clock.now += 3590 * 1000;
    await client.api.get('api/v1/me').json();
    telemetry.mock.revokeAllTokens();
    await client.api.get('api/v1/me').json();
    expect(outcomes(telemetry.spans())).toEqual([
      ['cold', 'fetched'],
      ['expiring', 'fetched'],
      ['rejected', 'fetched'],
    ]);
    expect(tokenRequestSpans(telemetry.spans())).toHaveLength(3);
    expect(await telemetry.metric('grantkit.token.cache.lookups', 'grantkit.token.cache.outcome')).toEqual({
      miss: 2,
      hit: 4,
    });
  });

  it('records a token endpoint that fails then recovers: failed requests as errors, the retries under one acquisition', async () => {
    const client = telemetry.client();
    telemetry.mock.failNextTokenRequests(2, { status: 503 });
    await client.api.get('api/v1/me').json();
    const spans = telemetry.spans();
    const [acquire] = acquireSpans(spans);
    expect(acquire?.attributes).toMatchObject({ 'grantkit.token.outcome': 'fetched', 'grantkit.token.attempts': 3 });
    const requests = tokenRequestSpans(spans);
    expect(
      requests.map((span) => [span.attributes['http.response.status_code'], span.attributes['error.type']]),
    ).toEqual([
      [503, '503'],
      [503, '503'],
      [200, undefined],
    ]);
    expect(requests.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    expect(requests.every((span) => span.parentSpanContext?.spanId === acquire?.spanContext().spanId)).toBe(true);
  });

  it('marks an acquisition that failed as an error with its error code', async () => {
    const client = telemetry.client({ tokenRetry: { limit: 0 } });
    telemetry.mock.failNextTokenRequests(1, { status: 500 });
    await expect(client.api.get('api/v1/me').json()).rejects.toThrow();
    await client.api.get('api/v1/me').json();
    const [failed, recovered] = acquireSpans(telemetry.spans());
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes).toMatchObject({ 'grantkit.token.outcome': 'failed', 'error.type': 'http_error' });
    expect(recovered?.attributes['grantkit.token.outcome']).toBe('fetched');
    expect(await telemetry.metric('grantkit.token.requests', 'grantkit.token.outcome')).toEqual({
      failed: 1,
      fetched: 1,
    });
  });

  it("counts SmithCart's authorization callbacks by outcome and error code, without the token or the state", async () => {
    const stateStore = new MemoryStateStore();
    const redirectUri = 'https://www.example.com/callback.html';
    const token = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
    const authorize = async () =>
      (
        await createAuthorizationRequest({
          baseUrl: 'https://api.example.com',
          clientId: 'Y2XPZW50Q31A',
          redirectUri,
          scope: 'public',
          stateStore,
        })
      ).state;
    const callback = (params: Record<string, string>) =>
      handleCallback(`${redirectUri}#${new URLSearchParams(params)}`, { stateStore }).catch(() => undefined);
    const granted = await authorize();
    await callback({ access_token: token, token_type: 'bearer', state: granted });
    const denied = await authorize();
    await callback({ error: 'access_denied', state: denied });
    await callback({ access_token: token, token_type: 'bearer', state: 'forged' });

    expect(await telemetry.metric('grantkit.authorization.callbacks', 'grantkit.callback.outcome')).toEqual({
      granted: 1,
      error: 2,
    });
    expect(await telemetry.metric('grantkit.authorization.callbacks', 'error.type')).toEqual({
      undefined: 1,
      oauth_error: 1,
      state_mismatch: 1,
    });
    const text = await telemetry.everything();
    for (const secret of [token, granted, denied]) expect(text).not.toContain(secret);
  });

  it('puts no token, password, client secret, username or client id in a span or a metric', async () => {
    const client = telemetry.client();
    await Promise.all(Array.from({ length: 5 }, () => client.api.get('api/v1/me').json()));
    const token = (await client.getToken()).expose();
    telemetry.mock.revokeAllTokens();
    await client.api.get('api/v1/me').json();
    const text = await telemetry.everything();
    expect(text).toContain('grantkit.token.outcome');
    for (const secret of [
      credentials.username,
      credentials.password,
      credentials.clientId,
      credentials.clientSecret,
      token,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
