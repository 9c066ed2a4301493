import diagnosticsChannel from 'node:diagnostics_channel';
import { type GrantKitEvent, type HttpEvent, subscribe } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { traceHttp } from '@grantkit/core/internal';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

let api: ServedHandler;
const stops: (() => void)[] = [];
beforeEach(async () => {
  // Answers 401 to the first token it sees, and redirects /old to /new.
  api = await serveFetchHandler((request) => {
    const { pathname } = new URL(request.url);
    if (request.headers.get('authorization') === 'Bearer first-token') return new Response(null, { status: 401 });
    if (pathname === '/old') return new Response(null, { status: 307, headers: { location: '/new' } });
    return Response.json({ path: pathname });
  });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await api.close();
});

function record(): HttpEvent[] {
  const events: HttpEvent[] = [];
  stops.push(subscribe('grantkit:http', (event) => events.push(event)));
  return events;
}

describe('subscribe', () => {
  it('delivers one grantkit:http event per exchange, with the redacted URL, the status and the resend count', async () => {
    const events = record();
    let token = 'first-token';
    const client = createBearerClient({
      prefixUrl: api.url,
      getToken: () => token,
      refreshToken: async () => {
        token = 'second-token';
      },
    });
    await client.get('old?page=2&access_token=leak').json();
    expect(events).toHaveLength(1);
    const [event] = events as [HttpEvent];
    expect(event).toMatchObject({
      channel: 'grantkit:http',
      purpose: 'api',
      method: 'GET',
      url: `${api.url}/old?page=2&access_token=%5BREDACTED%5D`,
      status: 200,
      // One resend after the 401, one after the redirect.
      resendCount: 2,
    });
    expect(event.duration).toBeGreaterThanOrEqual(0);
    expect(Math.abs(event.startTime - Date.now())).toBeLessThan(10_000);
    expect(JSON.stringify(event)).not.toMatch(/first-token|second-token|leak/);
  });

  it('reports an exchange that got no answer with its error code', async () => {
    const events = record();
    const client = createBearerClient({ prefixUrl: 'http://127.0.0.1:9/', getToken: () => 't0ken', retry: 0 });
    await expect(client.get('x')).rejects.toThrow();
    expect(events).toEqual([expect.objectContaining({ status: undefined, errorCode: 'network_error' })]);
  });

  it('stops delivering once unsubscribed, and a listener for every channel sees every event', async () => {
    const every: GrantKitEvent[] = [];
    const stopEvery = subscribe((event) => every.push(event));
    const http = record();
    const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'ok-token' });
    await client.get('a').json();
    stopEvery();
    await client.get('b').json();
    expect(every.map((event) => event.channel)).toEqual(['grantkit:http']);
    expect(http).toHaveLength(2);
  });

  it('keeps the request working when a listener throws', async () => {
    stops.push(
      subscribe(() => {
        throw new Error('listener bug');
      }),
    );
    const http = record();
    const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'ok-token' });
    await expect(client.get('a').json()).resolves.toEqual({ path: '/a' });
    expect(http).toHaveLength(1);
  });

  it('builds nothing while nobody listens', () => {
    expect(traceHttp('api', 'GET', 'https://api.example.com/')).toBeUndefined();
    const stop = subscribe('grantkit:lock', () => undefined);
    expect(traceHttp('api', 'GET', 'https://api.example.com/')).toBeUndefined();
    stop();
  });
});

describe('the Node diagnostics_channel grantkit:http', () => {
  it('gets the same event when subscribed, without any subscribe() listener', async () => {
    const events: unknown[] = [];
    const onMessage = (message: unknown) => events.push(message);
    diagnosticsChannel.subscribe('grantkit:http', onMessage);
    try {
      const client = createBearerClient({ prefixUrl: api.url, getToken: () => 'ok-token' });
      await client.get('a').json();
    } finally {
      diagnosticsChannel.unsubscribe('grantkit:http', onMessage);
    }
    expect(events).toEqual([expect.objectContaining({ method: 'GET', url: `${api.url}/a`, status: 200 })]);
  });
});
