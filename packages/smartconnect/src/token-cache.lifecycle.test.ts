import { MemoryTokenStore } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, type SmartConnectClientOptions } from './index.js';
import {
  createMockSmartConnect,
  type MockSmartConnectOptions,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const START = Date.UTC(2026, 10, 23, 12);

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The mock on 127.0.0.1 with its own clock, and a client with another clock. */
async function setup(mockOptions: MockSmartConnectOptions, clientOptions: Partial<SmartConnectClientOptions> = {}) {
  const clock = { now: START, mockOffset: 0 };
  const mock = createMockSmartConnect({ now: () => clock.now + clock.mockOffset, ...mockOptions });
  const server = await serveFetchHandler(mock);
  servers.push(server);
  const client = createSmartConnectClient({
    baseUrl: server.url,
    credentials,
    now: () => clock.now,
    tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...clientOptions,
  } as SmartConnectClientOptions);
  return { clock, mock, client };
}

describe('the token life cycle of createSmartConnectClient', () => {
  it('keeps a token whose exp is exactly now by its clock until a 401 says otherwise', async () => {
    const { clock, mock, client } = await setup({ issueJwt: true, tokenTtlSeconds: 3_600 });
    clock.mockOffset = -3_600_000;
    await client.getToken();
    await client.getToken();
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it('fails the renewal with the refusal when the password changed, rather than keep the old token', async () => {
    const { clock, mock, client } = await setup({ issueJwt: false, includeExpiresIn: true, tokenTtlSeconds: 3_600 });
    await client.getToken();
    mock.setPassword(credentials.username, 'a new password');
    clock.now += 3_600_000 - 30_000;
    await expect(client.getToken()).rejects.toMatchObject({ name: 'OAuthError', error: 'invalid_grant' });
  });

  it('tries a failed renewal again 5 s later while the token is still valid', async () => {
    const { clock, mock, client } = await setup(
      { issueJwt: false, includeExpiresIn: true, tokenTtlSeconds: 3_600 },
      { tokenRetry: { limit: 0 } },
    );
    const first = await client.getToken();
    clock.now += 3_600_000 - 50_000;
    mock.failNextTokenRequests(1, { status: 502 });
    expect((await client.getToken()).expose()).toBe(first.expose());
    expect(mock.stats.tokenRequests).toBe(2);
    clock.now += 4_999;
    await client.getToken();
    expect(mock.stats.tokenRequests).toBe(2);
    clock.now += 1;
    expect((await client.getToken()).expose()).not.toBe(first.expose());
    expect(mock.stats.tokenRequests).toBe(3);
  });

  it('does not remember a transient OAuth error as refused credentials', async () => {
    const mock = createMockSmartConnect();
    let failures = 0;
    const server = await serveFetchHandler(async (request) => {
      if (failures === 0) {
        failures += 1;
        return Response.json({ error: 'server_error' }, { status: 400 });
      }
      return mock(request);
    });
    servers.push(server);
    const client = createSmartConnectClient({ baseUrl: server.url, credentials, tokenRetry: { limit: 0 } });
    await expect(client.getToken()).rejects.toMatchObject({ name: 'OAuthError', error: 'server_error' });
    await expect(client.getToken()).resolves.toBeDefined();
  });

  it('does not send refused credentials again for a request that gets its 401 after the refusal', async () => {
    const clock = { now: START };
    const mock = createMockSmartConnect({ issueJwt: false, includeExpiresIn: true, now: () => clock.now });
    let releaseApi = () => {};
    const apiHeld = new Promise<void>((resolve) => {
      releaseApi = resolve;
    });
    const server = await serveFetchHandler(async (request) => {
      if (new URL(request.url).pathname.startsWith('/api/')) await apiHeld;
      return mock(request);
    });
    servers.push(server);
    const client = createSmartConnectClient({ baseUrl: server.url, credentials, now: () => clock.now });
    await client.getToken();
    mock.setPassword(credentials.username, 'a new password');
    const request = client.api.get('api/v1/me').json();
    clock.now += 3_600_000 - 30_000;
    await expect(client.getToken()).rejects.toMatchObject({ error: 'invalid_grant' });
    releaseApi();
    await expect(request).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it('drops a token that arrives after signOut(): neither cached nor stored', async () => {
    const tokenStore = new MemoryTokenStore();
    const { mock, client } = await setup({}, { tokenStore });
    mock.setTokenDelay(200);
    const pending = client.getToken();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.signOut();
    await pending;
    mock.setTokenDelay(0);
    await client.getToken();
    expect(mock.stats.tokenRequests).toBe(2);
  });
});
