import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The mock SmartConnect, whose token endpoint first answers `status` with the OAuth `error` once. */
async function failingOnce(status: number, error: string) {
  const mock = createMockSmartConnect();
  let failures = 0;
  const server = await serveFetchHandler(async (request) => {
    if (new URL(request.url).pathname === '/token' && failures === 0) {
      failures += 1;
      return Response.json({ error }, { status });
    }
    return mock(request);
  });
  servers.push(server);
  return { mock, server };
}

describe('the token retry of createSmartConnectClient', () => {
  it.each([
    [400, 'temporarily_unavailable'],
    [400, 'server_error'],
  ])('tries again after a %i with the OAuth error %s', async (status, error) => {
    const { mock, server } = await failingOnce(status, error);
    const client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it.each([429, 408, 500])('tries again after a %i', async (status) => {
    const mock = createMockSmartConnect();
    mock.failNextTokenRequests(1, { status });
    const server = await serveFetchHandler(mock);
    servers.push(server);
    const client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it.each([400, 404, 499])('does not try again after a %i that is no OAuth error', async (status) => {
    const mock = createMockSmartConnect();
    mock.failNextTokenRequests(1, { status });
    const server = await serveFetchHandler(mock);
    servers.push(server);
    const client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.getToken()).rejects.toMatchObject({ name: 'HttpError', status });
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it('does not try again after a 503 with the OAuth error invalid_grant', async () => {
    const { mock, server } = await failingOnce(503, 'invalid_grant');
    const client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.getToken()).rejects.toMatchObject({ name: 'OAuthError', error: 'invalid_grant' });
    expect(mock.stats.tokenRequests).toBe(0);
  });
});
