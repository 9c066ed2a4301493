import { randomBytes } from 'node:crypto';
import { isGrantKitError } from '@grantkit/core';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SmartConnectSettings } from '../src/config.js';
import { startRedisSessions } from '../src/start-redis-sessions.js';

const settings: SmartConnectSettings = {
  provider: 'real',
  target: { baseUrl: 'http://127.0.0.1:9' },
  clientId: 'id',
  clientSecret: 'secret',
  samplePath: 'api/v1/me',
};

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (isGrantKitError(error, 'configuration_error')) return error;
    throw error;
  }
  throw new Error('it started');
}

describe('startRedisSessions', () => {
  it('without GRANTKIT_TOKEN_KEY, makes a key for this run and says so in the log', async () => {
    const log: string[] = [];
    const started = await startRedisSessions({
      redis: { url: redis.url, tokenKey: undefined },
      settings,
      log: (line) => log.push(line),
    });
    const id = await started.backend.flashes.create({ notice: 'hello' }, '192.0.2.1');
    await expect(started.backend.flashes.get(id)).resolves.toEqual({ notice: 'hello' });
    await started.close();
    expect(log).toEqual([
      expect.stringMatching(/^GRANTKIT_TOKEN_KEY is not set: .* made for this run, so no other instance can read them/),
    ]);
  });

  it('refuses a GRANTKIT_TOKEN_KEY that is not 32 bytes of base64, without quoting it', async () => {
    const error = await failure(
      startRedisSessions({
        redis: { url: redis.url, tokenKey: `${randomBytes(32).toString('base64')},not-a-key` },
        settings,
        log: () => {},
      }),
    );
    expect(error.message).toBe(
      'GRANTKIT_TOKEN_KEY: key 2 is not 32 bytes of base64; make one with `openssl rand -base64 32`.',
    );
  });

  it('gives up on a Redis that does not answer, naming its address but never its password', async () => {
    const gone = await startRedisServer();
    await gone.stop();
    const log: string[] = [];
    const error = await failure(
      startRedisSessions({
        redis: { url: `redis://demo:s3cret-pass@127.0.0.1:${gone.port}`, tokenKey: randomBytes(32).toString('base64') },
        settings,
        log: (line) => log.push(line),
        connectTimeoutMs: 500,
      }),
    );
    expect(error.message).toBe(
      `Redis at redis://127.0.0.1:${gone.port} did not answer within 0.5 s: start it, or unset REDIS_URL to keep sessions in memory.`,
    );
    // One line for the outage, however many times node-redis retried within the timeout.
    expect(log).toEqual(['Redis connection lost (ECONNREFUSED): retrying in the background.']);
    expect(log.join('\n')).not.toContain('s3cret-pass');
  });
});
