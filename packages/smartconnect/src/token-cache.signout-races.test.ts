import { type AccessToken, MemoryTokenStore } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { serve } from '../test/support/serve-handler.js';
import { createSmartConnectClient } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const START = Date.UTC(2026, 10, 23, 12);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store that counts its reads and can hold them for a while, as a slow remote store does. */
class SlowStore extends MemoryTokenStore {
  reads = 0;
  readDelayMs = 0;
  override async get(key: string): Promise<AccessToken | undefined> {
    this.reads += 1;
    const token = await super.get(key);
    if (this.readDelayMs > 0) await pause(this.readDelayMs);
    return token;
  }
}

describe('the token cache of createSmartConnectClient, and signOut() during a request', () => {
  it('does not retry a 200 answer that is not a token response', async () => {
    const mock = createMockSmartConnect();
    let answered = 0;
    const baseUrl = await serve(async (request) => {
      answered += 1;
      return answered === 1 ? new Response('OK', { status: 200 }) : mock(request);
    });
    const client = createSmartConnectClient({ baseUrl, credentials, tokenRetry: { baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(client.getToken()).rejects.toMatchObject({ name: 'InvalidResponseError' });
    expect(answered).toBe(1);
  });

  it('rejects a failing renewal that signOut() interrupted rather than hand out the old token', async () => {
    const clock = { now: START };
    const mock = createMockSmartConnect({ issueJwt: false, includeExpiresIn: true, now: () => clock.now });
    const baseUrl = await serve(mock);
    const client = createSmartConnectClient({ baseUrl, credentials, now: () => clock.now, tokenRetry: { limit: 0 } });
    await client.getToken();
    clock.now += 3_600_000 - 30_000;
    mock.failNextTokenRequests(1, { status: 502 });
    mock.setTokenDelay(200);
    const renewal = client.getToken();
    await pause(50);
    await client.signOut();
    await expect(renewal).rejects.toMatchObject({ name: 'HttpError', status: 502 });
  });

  it('signs in again after signOut() when the refusal came in after the signOut()', async () => {
    const mock = createMockSmartConnect();
    const baseUrl = await serve(mock);
    const client = createSmartConnectClient({ baseUrl, credentials });
    mock.setPassword(credentials.username, 'changed');
    mock.setTokenDelay(200);
    const refused = client.getToken();
    await pause(50);
    await client.signOut();
    await expect(refused).rejects.toMatchObject({ error: 'invalid_grant' });
    mock.setTokenDelay(0);
    mock.setPassword(credentials.username, credentials.password);
    await expect(client.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it('keeps a token found in the store, reading the store once', async () => {
    const mock = createMockSmartConnect();
    const baseUrl = await serve(mock);
    const tokenStore = new SlowStore();
    await createSmartConnectClient({ baseUrl, credentials, tokenStore }).getToken();
    const client = createSmartConnectClient({ baseUrl, credentials, tokenStore });
    const readsBefore = tokenStore.reads;
    await client.getToken();
    await client.getToken();
    await client.getToken();
    expect(tokenStore.reads - readsBefore).toBe(1);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it('does not keep a stored token read while signOut() ran: the next call signs in', async () => {
    const mock = createMockSmartConnect();
    const baseUrl = await serve(mock);
    const tokenStore = new SlowStore();
    await createSmartConnectClient({ baseUrl, credentials, tokenStore }).getToken();
    const client = createSmartConnectClient({ baseUrl, credentials, tokenStore });
    tokenStore.readDelayMs = 200;
    const pending = client.getToken();
    await pause(50);
    await client.signOut();
    await pending;
    tokenStore.readDelayMs = 0;
    await client.getToken();
    expect(mock.stats.tokenRequests).toBe(2);
  });
});
