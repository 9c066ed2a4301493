import { AccessToken, isGrantKitError, type LockEvent, subscribe } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import type { RedisClientLike } from './redis-client.js';
import { RedisTokenStore, type RedisTokenStoreOptions } from './redis-token-store.js';
import { ACQUIRE_LOCK, EXTEND_LOCK, READ_TOKEN } from './scripts.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const SECRET_VALUE = 'eyJzZWNyZXQtdG9rZW4tdmFsdWUi';

let server: RedisServer;
let client: ReturnType<typeof createClient>;
const stores: RedisTokenStore[] = [];

function store(options: Partial<RedisTokenStoreOptions> = {}): RedisTokenStore {
  const created = new RedisTokenStore({ client, encryptionKey: KEY_A, ...options });
  stores.push(created);
  return created;
}

function token(value = SECRET_VALUE, lifetimeMs = 60_000): AccessToken {
  return new AccessToken({ value, expiresAt: Date.now() + lifetimeMs, scope: 'private' });
}

async function everyKeyAndValue(): Promise<string> {
  const dump: string[] = [];
  for await (const keys of client.scanIterator()) {
    for (const key of keys) {
      const value = (await client.type(key)) === 'hash' ? await client.hGetAll(key) : await client.get(key);
      dump.push(key, JSON.stringify(value));
    }
  }
  return dump.join('\n');
}

beforeAll(async () => {
  server = await startRedisServer();
  client = createClient({ url: server.url });
  client.on('error', () => undefined);
  await client.connect();
});

afterAll(async () => {
  for (const created of stores) created.close();
  client.destroy();
  await server.stop();
});

beforeEach(async () => {
  await client.flushAll();
});

describe('new RedisTokenStore', () => {
  it('throws ConfigurationError without an encryption key, and says how to make one', () => {
    expect(() => new RedisTokenStore({ client })).toThrow(
      expect.objectContaining({ code: 'configuration_error', message: expect.stringContaining('openssl rand') }),
    );
    expect(() => new RedisTokenStore({ client, encryptionKey: undefined })).toThrow(/encryptionKey/);
  });

  it('accepts no key only with dangerouslyStorePlaintext: true', () => {
    expect(new RedisTokenStore({ client, dangerouslyStorePlaintext: true })).toBeInstanceOf(RedisTokenStore);
  });

  it('throws ConfigurationError for a key that is not 32 bytes of base64, without showing the key', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    let error: unknown;
    try {
      new RedisTokenStore({ client, encryptionKey: short });
    } catch (caught) {
      error = caught;
    }
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect(String((error as Error).message)).not.toContain(short);
  });

  it('throws ConfigurationError without a node-redis client', () => {
    expect(() => new RedisTokenStore({ client: {} as never, encryptionKey: KEY_A })).toThrow(/createClient/);
  });
});

describe('RedisTokenStore as a TokenStore', () => {
  it('stores a token encrypted, expiring with it, and reads it back with the lifetime Redis has left', async () => {
    const tokens = store();
    await tokens.set('smartconnect:abc', token(SECRET_VALUE, 60_000));

    const ttl = await client.pTTL('grantkit:{smartconnect:abc}:token');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await everyKeyAndValue()).not.toContain(SECRET_VALUE);

    const read = await tokens.get('smartconnect:abc');
    expect(read?.expose()).toBe(SECRET_VALUE);
    expect(read?.scope.toString()).toBe('private');
    expect((read?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(55_000);
  });

  it('keeps token, lock, channel and revocation under one hash tag', async () => {
    const tokens = store();
    await tokens.set('k1', token());
    expect(await client.keys('*')).toEqual(['grantkit:{k1}:token']);
    const { version } = await tokens.obtain('k1', { request: async () => token(), isUsable: () => true });
    await tokens.obtain('k1', { request: async () => token(), isUsable: () => true, refused: version });
    expect((await client.keys('*')).sort()).toEqual(['grantkit:{k1}:revoked', 'grantkit:{k1}:token']);
  });

  it('returns undefined for a missing key and deletes', async () => {
    const tokens = store();
    expect(await tokens.get('missing')).toBeUndefined();
    await tokens.set('k', token());
    await tokens.delete('k');
    expect(await tokens.get('k')).toBeUndefined();
  });

  it('refuses a token encrypted with a key it does not have (ConfigurationError naming the key id)', async () => {
    await store({ encryptionKey: KEY_A }).set('k', token());
    const error = await store({ encryptionKey: KEY_B })
      .get('k')
      .catch((caught: unknown) => caught);
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect((error as Error).message).toMatch(/key id "[\w-]+"/);
    expect(JSON.stringify(error)).not.toContain(SECRET_VALUE);
  });

  it('rotates keys: the first key encrypts, every listed key decrypts', async () => {
    await store({ encryptionKey: KEY_A }).set('old', token('old-token'));
    const rotated = store({ encryptionKey: [KEY_B, KEY_A] });
    expect((await rotated.get('old'))?.expose()).toBe('old-token');

    await rotated.set('new', token('new-token'));
    expect((await store({ encryptionKey: KEY_B }).get('new'))?.expose()).toBe('new-token');
    await expect(store({ encryptionKey: KEY_A }).get('new')).rejects.toMatchObject({ code: 'configuration_error' });
    // The same list as one comma-separated string, as it comes from an environment variable.
    expect((await store({ encryptionKey: `${KEY_B},${KEY_A}` }).get('old'))?.expose()).toBe('old-token');
  });

  it('refuses a ciphertext moved to another key (the store key is the associated data)', async () => {
    await store().set('alice', token());
    const moved = await client.hGetAll('grantkit:{alice}:token');
    await client.hSet('grantkit:{mallory}:token', moved);
    await expect(store().get('mallory')).rejects.toMatchObject({ code: 'configuration_error' });
  });

  it('stores plaintext JSON only when told to', async () => {
    await store({ encryptionKey: undefined, dangerouslyStorePlaintext: true }).set('k', token());
    expect(await everyKeyAndValue()).toContain(SECRET_VALUE);
  });
});

describe('RedisTokenStore.obtain', () => {
  const usable = () => true;

  it('sends one token request for concurrent callers on separate connections', async () => {
    const second = createClient({ url: server.url });
    second.on('error', () => undefined);
    await second.connect();
    try {
      let requests = 0;
      const request = async () => {
        requests += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return token(`token-${requests}`);
      };
      const a = store();
      const b = store({ client: second });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).obtain('k', { request, isUsable: usable })),
      );
      expect(requests).toBe(1);
      expect(new Set(results.map((result) => result.token.expose()))).toEqual(new Set(['token-1']));
      expect(new Set(results.map((result) => result.version)).size).toBe(1);
    } finally {
      second.destroy();
    }
  });

  it('replaces a refused version once, and a late refusal of it never replaces the newer token', async () => {
    const tokens = store();
    let requests = 0;
    const request = async () => token(`token-${++requests}`);
    const first = await tokens.obtain('k', { request, isUsable: usable });
    const renewed = await tokens.obtain('k', { request, isUsable: usable, refused: first.version });
    expect(renewed.token.expose()).toBe('token-2');
    const late = await tokens.obtain('k', { request, isUsable: usable, refused: first.version });
    expect(late.version).toBe(renewed.version);
    expect(late.token.expose()).toBe('token-2');
    expect(requests).toBe(2);
  });

  it('after a 401 on a replaced version, replaces the token stored before that 401 too (it was revoked with it)', async () => {
    let requests = 0;
    const request = async () => token(`token-${++requests}`);
    const a = store();
    const first = await a.obtain('k', { request, isUsable: usable });
    // Another instance renews early; then A's first token is refused.
    await store().obtain('k', { request, isUsable: () => false });
    const renewed = await a.obtain('k', { request, isUsable: usable, refused: first.version });
    expect(renewed.token.expose()).toBe('token-3');
    expect(requests).toBe(3);
  });

  it('after a revocation, hands a late 401 on any older version the token stored since, with no request', async () => {
    let requests = 0;
    const request = async () => token(`token-${++requests}`);
    const a = store();
    const b = store();
    const first = await a.obtain('k', { request, isUsable: usable });
    const early = await b.obtain('k', { request, isUsable: () => false });
    const renewed = await b.obtain('k', { request, isUsable: usable, refused: early.version });
    expect(renewed.token.expose()).toBe('token-3');
    // A's token, written before that revocation, was refused with it: the token stored since is the answer.
    const late = await a.obtain('k', { request, isUsable: usable, refused: first.version });
    expect([late.version, late.token.expose()]).toEqual([renewed.version, 'token-3']);
    expect(requests).toBe(3);
  });

  it('after a 401 on a token it never stored, never hands out the stored one (it may be refused too)', async () => {
    let requests = 0;
    const request = async () => token(`token-${++requests}`);
    await store().obtain('k', { request, isUsable: usable });
    // A process that had fallen back (its token never stored) is refused.
    const renewed = await store().obtain('k', { request, isUsable: usable, refused: null });
    expect(renewed.token.expose()).toBe('token-2');
    expect(requests).toBe(2);
  });

  it('renews a stored token the caller finds due, and hands the new one to the other callers', async () => {
    const tokens = store();
    let requests = 0;
    const request = async () => token(`token-${++requests}`);
    await tokens.obtain('k', { request, isUsable: usable });
    const due = () => false;
    const results = await Promise.all([
      tokens.obtain('k', { request, isUsable: due }),
      store().obtain('k', { request, isUsable: due }),
    ]);
    expect(requests).toBe(2);
    expect(results.map((result) => result.token.expose())).toEqual(['token-2', 'token-2']);
  });

  it('drops the refused token when the renewal fails, and passes the error on', async () => {
    const tokens = store();
    const first = await tokens.obtain('k', { request: async () => token(), isUsable: usable });
    const refusal = new Error('invalid_grant');
    await expect(
      tokens.obtain('k', { request: () => Promise.reject(refusal), isUsable: usable, refused: first.version }),
    ).rejects.toBe(refusal);
    expect(await tokens.get('k')).toBeUndefined();
    expect(await client.exists('grantkit:{k}:lock')).toBe(0);
  });

  it('never releases a lock another owner holds, and stops waiting for it after maxWaitMs', async () => {
    await client.set('grantkit:{k}:lock', 'someone-else', { PX: 60_000 });
    const fallbacks: string[] = [];
    const result = await store({ maxWaitMs: 300, onFallback: (event) => fallbacks.push(event.reason) }).obtain('k', {
      request: async () => token('mine'),
      isUsable: usable,
    });
    expect(result).toMatchObject({ version: undefined });
    expect(fallbacks).toEqual(['wait-timeout']);
    expect(await client.get('grantkit:{k}:lock')).toBe('someone-else');
  });
});

describe('RedisTokenStore.obtain while another instance holds the lock', () => {
  const usable = () => true;
  const slowRequest = (value: string, ms: number) => async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return token(value);
  };

  it("takes over a dead holder's lock as soon as its lease lapses, not after a poll interval", async () => {
    await client.set('grantkit:{k}:lock', 'dead-instance', { PX: 300 });
    const started = performance.now();
    // A poll would come after 30–90 s.
    const result = await store({ pollIntervalMs: 60_000 }).obtain('k', {
      request: async () => token('taken-over'),
      isUsable: usable,
    });
    const waited = performance.now() - started;
    expect(result.token.expose()).toBe('taken-over');
    expect(result.version).toEqual(expect.any(String));
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(20_000);
  }, 60_000);

  it('wakes a waiter by pub/sub as soon as the token is stored, long before its next poll', async () => {
    // Without a wake-up, the waiter would sleep until its next poll or the end of the holder's lease (60 s).
    const holder = store({ lockLeaseMs: 60_000 });
    const waiter = store({ pollIntervalMs: 60_000 });
    const first = holder.obtain('k', { request: slowRequest('from-holder', 300), isUsable: usable });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const second = await waiter.obtain('k', {
      request: () => Promise.reject(new Error('the waiter must not request')),
      isUsable: usable,
    });
    expect(second.token.expose()).toBe('from-holder');
    expect(second.version).toBe((await first).version);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 90_000);

  it('finds the token by polling when its pub/sub connection cannot subscribe', async () => {
    // The client as given, but its duplicate (the subscriber) never connects.
    const withoutPubSub: RedisClientLike = {
      get isReady() {
        return client.isReady;
      },
      eval: (script, options) => client.eval(script, options),
      del: (key) => client.del(key),
      withCommandOptions: (options) => client.withCommandOptions(options),
      duplicate: () => ({
        isReady: false,
        on: () => undefined,
        connect: () => new Promise(() => undefined),
        subscribe: () => new Promise(() => undefined),
        destroy: () => undefined,
      }),
    };
    const holder = store();
    const waiter = store({ client: withoutPubSub, pollIntervalMs: 50, commandTimeoutMs: 200 });
    const first = holder.obtain('k', { request: slowRequest('polled', 300), isUsable: usable });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await waiter.obtain('k', {
      request: () => Promise.reject(new Error('the waiter must not request')),
      isUsable: usable,
    });
    expect(second.token.expose()).toBe('polled');
    expect(second.version).toBe((await first).version);
  });
});

describe('RedisTokenStore.obtain on the grantkit:lock channel', () => {
  const usable = () => true;
  let events: LockEvent[];
  let stop: () => void;
  beforeEach(() => {
    events = [];
    stop = subscribe('grantkit:lock', (event) => events.push(event));
  });
  afterEach(() => stop());

  /** `target`, with `before` run ahead of each of its scripts (to hold one, or to make it fail). */
  const intercepted = (target: RedisClientLike, before: (script: string) => Promise<void>): RedisClientLike => ({
    get isReady() {
      return target.isReady;
    },
    async eval(script, options) {
      await before(script);
      return target.eval(script, options);
    },
    del: (key) => target.del(key),
    withCommandOptions: (options) => intercepted(target.withCommandOptions(options), before),
    duplicate: () => target.duplicate(),
  });

  it('reports a waiter that gets the lock only after the holder stored its token as waited, not as a takeover', async () => {
    // The waiter's client holds its second lock attempt (made after a poll found no token yet) until told to go on.
    let attempts = 0;
    let attempting!: () => void;
    const secondAttempt = new Promise<void>((resolve) => {
      attempting = resolve;
    });
    let goOn!: () => void;
    const resumed = new Promise<void>((resolve) => {
      goOn = resolve;
    });
    const holding = intercepted(client, async (script) => {
      if (script === ACQUIRE_LOCK && ++attempts === 2) {
        attempting();
        await resumed;
      }
    });
    let answer!: (token: AccessToken) => void;
    let requested!: () => void;
    const holderRequested = new Promise<void>((resolve) => {
      requested = resolve;
    });
    const holder = store({ lockLeaseMs: 60_000 }).obtain('k', {
      request: () =>
        new Promise((resolve) => {
          answer = resolve;
          requested();
        }),
      isUsable: usable,
    });
    await holderRequested;
    const waiter = store({ client: holding, pollIntervalMs: 20, commandTimeoutMs: 60_000 }).obtain('k', {
      request: () => Promise.reject(new Error('the waiter must not request')),
      isUsable: usable,
    });
    // The waiter polled, found no token, and is about to try the lock: the holder stores its token and releases.
    await secondAttempt;
    answer(token('from-holder'));
    const stored = await holder;
    goOn();

    const got = await waiter;
    expect(got.version).toBe(stored.version);
    expect(got.token.expose()).toBe('from-holder');
    expect(events.map((event) => event.action)).toEqual(['acquired', 'contended', 'released', 'waited', 'released']);
    expect(events.find((event) => event.action === 'waited')?.waitDuration).toEqual(expect.any(Number));
  }, 60_000);

  it('reports the lock acquired, then released, when Redis fails right after the lock was taken', async () => {
    let reads = 0;
    const failing = intercepted(client, async (script) => {
      if (script === READ_TOKEN && ++reads === 2) throw new Error('connection lost');
    });
    const fallbacks: string[] = [];
    const got = await store({ client: failing, onFallback: (event) => fallbacks.push(event.reason) }).obtain('k', {
      request: async () => token('own'),
      isUsable: usable,
    });
    expect(got).toMatchObject({ version: undefined });
    expect(fallbacks).toEqual(['redis-unavailable']);
    expect(events).toEqual([
      { channel: 'grantkit:lock', action: 'acquired', waitDuration: 0 },
      { channel: 'grantkit:lock', action: 'released' },
    ]);
  });
  it('reports no lease extension and no release once another instance owns the lock (the holder lost its lease)', async () => {
    const firstExtension = new Promise<void>((resolve) => {
      const off = subscribe('grantkit:lock', (event) => {
        if (event.action !== 'extended') return;
        off();
        resolve();
      });
    });
    // Counts the extension attempts sent once the lock is another instance's, and marks where their events begin.
    let lost = false;
    let attemptsAfterLoss = 0;
    let mark = Number.POSITIVE_INFINITY;
    let attemptedTwice!: () => void;
    const twoAttemptsAfterLoss = new Promise<void>((resolve) => {
      attemptedTwice = resolve;
    });
    const counting = intercepted(client, async (script) => {
      if (script !== EXTEND_LOCK || !lost) return;
      attemptsAfterLoss += 1;
      if (attemptsAfterLoss === 1) mark = events.length;
      if (attemptsAfterLoss === 2) attemptedTwice();
    });
    let answer!: (token: AccessToken) => void;
    const holder = store({ client: counting, lockLeaseMs: 300 }).obtain('k', {
      request: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
      isUsable: usable,
    });
    await firstExtension;
    // As if the holder's lease had run out and another instance had taken the lock.
    await client.set('grantkit:{k}:lock', 'another-instance', { PX: 60_000 });
    lost = true;
    await twoAttemptsAfterLoss;
    answer(token('late'));
    await holder;

    expect(events.slice(0, mark).map((event) => event.action)).toEqual(
      expect.arrayContaining(['acquired', 'extended']),
    );
    expect(events.slice(mark)).toEqual([]);
    expect(await client.get('grantkit:{k}:lock')).toBe('another-instance');
  }, 60_000);
});

describe('RedisTokenStore on the grantkit:store channel', () => {
  it('publishes a command that timed out as an error, the fallback, then the recovery once Redis answers', async () => {
    const hanging = await startRedisServer();
    const own = createClient({ url: hanging.url });
    own.on('error', () => undefined);
    await own.connect();
    const tokens = new RedisTokenStore({ client: own, encryptionKey: KEY_A, commandTimeoutMs: 300 });
    const events: unknown[] = [];
    const stop = subscribe('grantkit:store', (event) => events.push(event));
    try {
      process.kill(hanging.pid, 'SIGSTOP');
      const during = await tokens.obtain('k', { request: async () => token('during'), isUsable: () => true });
      expect(during.token.expose()).toBe('during');
      process.kill(hanging.pid, 'SIGCONT');
      await tokens.obtain('k', { request: async () => token('after'), isUsable: () => true });
      expect(events).toEqual([
        { channel: 'grantkit:store', action: 'error', errorCode: 'timeout' },
        { channel: 'grantkit:store', action: 'fallback', reason: 'redis-timeout', errorCode: 'timeout' },
        { channel: 'grantkit:store', action: 'recovered' },
      ]);
    } finally {
      stop();
      process.kill(hanging.pid, 'SIGCONT');
      tokens.close();
      own.destroy();
      await hanging.stop();
    }
  });
});

describe('RedisTokenStore under SmartConnect clients, one per process', () => {
  let served: ServedHandler | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  it("after a fallback, a 401 on the process's own token renews once rather than handing it the fleet's older token", async () => {
    const mock = createMockSmartConnect();
    served = await serveFetchHandler(mock);
    const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
    // Process A's Redis commands hang while `stalled` (as under load): they time out and A falls back.
    let stalled = false;
    const stalling: RedisClientLike = {
      get isReady() {
        return client.isReady;
      },
      eval: (script, options) => (stalled ? new Promise(() => undefined) : client.eval(script, options)),
      del: (key) => client.del(key),
      withCommandOptions: () => stalling,
      duplicate: () => client.duplicate(),
    };
    const fallbacks: string[] = [];
    const a = createSmartConnectClient({
      baseUrl: served.url,
      credentials,
      tokenStore: store({
        client: stalling,
        commandTimeoutMs: 200,
        onFallback: (event) => fallbacks.push(event.reason),
      }),
    });
    const b = createSmartConnectClient({ baseUrl: served.url, credentials, tokenStore: store() });

    // B stores the fleet's token; A, with Redis too slow to answer, gets one of its own (never stored).
    await b.api.get('api/v1/me').json();
    stalled = true;
    await a.api.get('api/v1/me').json();
    stalled = false;
    expect(fallbacks).toEqual(['redis-timeout']);
    const fleetToken = (await b.getToken()).expose();
    const ownToken = (await a.getToken()).expose();
    expect(ownToken).not.toBe(fleetToken);
    expect(mock.stats.tokenRequests).toBe(2);

    // Every token is revoked. A's 401 must not be answered with the fleet's token, revoked as well.
    mock.revokeAllTokens();
    await expect(a.api.get('api/v1/me').json()).resolves.toMatchObject({});
    expect(mock.stats.tokenRequests).toBe(3);
    const renewed = (await a.getToken()).expose();
    expect([fleetToken, ownToken]).not.toContain(renewed);
    expect(await everyKeyAndValue()).not.toContain(renewed);

    // B's 401 on the fleet's token: A's renewal cannot be placed against a revocation (A's own token was never
    // stored), so B renews too (the README's Limits). A keeps its renewal, which works.
    await expect(b.api.get('api/v1/me').json()).resolves.toMatchObject({});
    expect(mock.stats.tokenRequests).toBe(4);
    await expect(a.api.get('api/v1/me').json()).resolves.toMatchObject({});
    expect(mock.stats.apiUnauthorized).toBe(2);
  });

  it('after a revocation, a 401 on a token another process has since replaced is not answered with that replacement, revoked as well', async () => {
    const mock = createMockSmartConnect();
    served = await serveFetchHandler(mock);
    const baseUrl = served.url;
    const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
    const a = createSmartConnectClient({ baseUrl, credentials, tokenStore: store() });
    const b = createSmartConnectClient({ baseUrl, credentials, tokenStore: store() });
    const c = createSmartConnectClient({ baseUrl, credentials, tokenStore: store() });

    // A stores the fleet's first token and B shares it.
    await a.api.get('api/v1/me').json();
    await b.api.get('api/v1/me').json();
    const replaced = (await a.getToken()).expose();
    expect((await b.getToken()).expose()).toBe(replaced);
    // Another process that finds it due renews it early: A and B now hold a replaced token, C the new one.
    const [tokenKey = ''] = await client.keys('grantkit:{*}:token');
    await store().obtain(tokenKey.slice('grantkit:{'.length, -'}:token'.length), {
      request: () => requestPasswordToken({ baseUrl, ...credentials }),
      isUsable: () => false,
    });
    await c.api.get('api/v1/me').json();
    expect(mock.stats.tokenRequests).toBe(2);
    expect((await c.getToken()).expose()).not.toBe(replaced);

    // Every token is revoked, C's too: the renewal of each process is the one token requested after the revocation.
    mock.revokeAllTokens();
    await expect(a.api.get('api/v1/me').json()).resolves.toMatchObject({});
    await expect(b.api.get('api/v1/me').json()).resolves.toMatchObject({});
    await expect(c.api.get('api/v1/me').json()).resolves.toMatchObject({});
    expect(mock.stats.tokenRequests).toBe(3);
    const renewed = (await a.getToken()).expose();
    expect((await b.getToken()).expose()).toBe(renewed);
    expect((await c.getToken()).expose()).toBe(renewed);
    expect(mock.stats.apiUnauthorized).toBe(3);
  });
});
