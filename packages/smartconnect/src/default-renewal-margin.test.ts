import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './testing/index.js';

const TTL_MS = 3_600_000;
const START = Date.UTC(2026, 10, 23, 12);
const clock = { now: START };
let mock: MockSmartConnect;
let server: ServedHandler;
beforeAll(async () => {
  mock = createMockSmartConnect({
    issueJwt: false,
    includeExpiresIn: true,
    tokenTtlSeconds: TTL_MS / 1_000,
    now: () => clock.now,
  });
  server = await serveFetchHandler(mock);
});
afterAll(async () => {
  await server.close();
});

describe('the default renewal margin of createSmartConnectClient', () => {
  it('renews a token with expires_in exactly 60 s before it expires', async () => {
    const client = createSmartConnectClient({
      baseUrl: server.url,
      credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      now: () => clock.now,
    });
    const first = await client.getToken();
    expect(first.expiresAt).toBe(START + TTL_MS);

    // 60 s and 1 ms before expiry (a margin of 90 s would already renew here): the cached token.
    clock.now = START + TTL_MS - 60_001;
    expect((await client.getToken()).expose()).toBe(first.expose());
    expect(mock.stats.tokenRequests).toBe(1);

    // Exactly 60 s before expiry (a margin of 30 s would still wait): a new token.
    clock.now = START + TTL_MS - 60_000;
    expect((await client.getToken()).expose()).not.toBe(first.expose());
    expect(mock.stats.tokenRequests).toBe(2);
  });
});
