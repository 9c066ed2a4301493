import { RedisTokenStore } from '@grantkit/redis';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { acquireSpans, startTelemetry, type Telemetry, tokenRequestSpans } from './support/telemetry.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

let redis: RedisServer;
let telemetry: Telemetry;
const closing: (() => void)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  telemetry = await startTelemetry();
});
afterEach(async () => {
  for (const close of closing.splice(0)) close();
  await telemetry.close();
});

/** One instance of a fleet: its own Redis connection and store. */
async function instance() {
  const client = createClient({ url: redis.url });
  client.on('error', () => undefined);
  await client.connect();
  const tokenStore = new RedisTokenStore({ client, encryptionKey: KEY });
  closing.push(() => {
    tokenStore.close();
    client.destroy();
  });
  return telemetry.client({ tokenStore });
}

describe('instrumentGrantKit with a fleet sharing a RedisTokenStore', () => {
  it('records one instance fetching under the lock and the other waiting for its token, with the lock wait', async () => {
    const [first, second] = await Promise.all([instance(), instance()]);
    telemetry.mock.setTokenDelay(300);
    await Promise.all([first.api.get('api/v1/me').json(), second.api.get('api/v1/me').json()]);
    expect(telemetry.mock.stats.tokenRequests).toBe(1);
    const outcomes = acquireSpans(telemetry.spans())
      .map((span) => span.attributes['grantkit.token.outcome'])
      .sort();
    expect(outcomes).toEqual(['fetched', 'waited']);
    expect(tokenRequestSpans(telemetry.spans())).toHaveLength(1);
    expect(await telemetry.metric('grantkit.lock.wait.duration', 'grantkit.lock.outcome')).toEqual({
      acquired: 1,
      waited: 1,
    });
  });
});
