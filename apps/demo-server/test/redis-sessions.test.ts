import { randomBytes } from 'node:crypto';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { RedisTokenStore } from '@grantkit/redis';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { createApp, type DemoApp } from '../src/app.js';
import type { SmartConnectSettings } from '../src/config.js';
import { RedisSessionStore, type SessionCodec } from '../src/redis-session-store.js';
import { redisSessionBackend } from '../src/redis-sessions.js';
import { createSessionCipher } from '../src/session-cipher.js';

const ORIGIN = 'http://127.0.0.1:3000';
const KEY = randomBytes(32).toString('base64');

let redis: RedisServer;
let provider: ServedHandler;
let tokenRequests = 0;
const clients: { destroy(): void }[] = [];
const tokenStores: RedisTokenStore[] = [];

async function connect() {
  const client = await createClient({ url: redis.url }).connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redis = await startRedisServer();
  const smartconnect = createMockSmartConnect({ includeExpiresIn: true });
  provider = await serveFetchHandler(async (request) => {
    if (new URL(request.url).pathname === '/token') tokenRequests += 1;
    return smartconnect(request);
  });
});

afterAll(async () => {
  for (const store of tokenStores) store.close();
  for (const client of clients) client.destroy();
  await provider?.close();
  await redis?.stop();
});

beforeEach(async () => {
  tokenRequests = 0;
  const client = await connect();
  await client.flushAll();
});

/** Every key of Redis with what it holds, as one text. */
async function everythingInRedis(): Promise<string> {
  const client = await connect();
  const lines: string[] = [];
  for (const key of await client.keys('*')) {
    const type = await client.type(key);
    const content =
      type === 'hash'
        ? JSON.stringify(await client.hGetAll(key))
        : type === 'zset'
          ? JSON.stringify(await client.zRange(key, 0, -1))
          : type === 'string'
            ? await client.get(key)
            : type;
    lines.push(`${key} ${content}`);
  }
  return lines.join('\n');
}

const JSON_CODEC: SessionCodec<string> = {
  encode: async (value) => JSON.stringify(value),
  decode: async (text) => JSON.parse(text) as string,
};

describe('RedisSessionStore', () => {
  async function store(options: { idleTimeoutMs?: number; maxSessions?: number; maxSessionsPerUser?: number } = {}) {
    const evicted: string[] = [];
    const sessions = new RedisSessionStore<string>({
      client: await connect(),
      name: 'test',
      codec: JSON_CODEC,
      onEvict: (value) => evicted.push(value),
      ...options,
    });
    return { sessions, evicted };
  }

  it('serves a session created by one instance to another, on its own connection', async () => {
    const { sessions: first } = await store();
    const { sessions: second } = await store();
    const id = await first.create('alice', 'alice');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(second.get(id)).resolves.toBe('alice');
  });

  it('keys sessions by a digest: neither the session id nor the user name is in Redis', async () => {
    const { sessions } = await store();
    const id = (await sessions.create('value', 'ann@example.com')) as string;
    const dump = await everythingInRedis();
    expect(dump).toContain('"value"');
    expect(dump).not.toContain(id);
    expect(dump).not.toContain('ann@example.com');
  });

  it('forgets a session idle past the timeout, and keeps one that is used', async () => {
    const { sessions } = await store({ idleTimeoutMs: 400 });
    const used = await sessions.create('used', 'ann');
    const idle = await sessions.create('idle', 'bob');
    for (let step = 0; step < 4; step += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(sessions.get(used)).resolves.toBe('used');
    }
    await expect(sessions.get(idle)).resolves.toBeUndefined();
  });

  describe('when full', () => {
    it('refuses a new session instead of ending another user’s', async () => {
      const { sessions, evicted } = await store({ maxSessions: 2 });
      const a = await sessions.create('a', 'ann');
      const b = await sessions.create('b', 'bob');
      await expect(sessions.create('c', 'carl')).resolves.toBeUndefined();
      await expect(sessions.get(a)).resolves.toBe('a');
      await expect(sessions.get(b)).resolves.toBe('b');
      expect(evicted).toEqual([]);
    });

    it('takes a new session once an idle one has gone', async () => {
      const { sessions } = await store({ maxSessions: 1, idleTimeoutMs: 200 });
      await sessions.create('a', 'ann');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(sessions.create('b', 'bob')).resolves.toBeDefined();
    });
  });

  describe('when a user signs in more often than the per-user cap', () => {
    it('ends that user’s least recently used session, and nobody else’s', async () => {
      const { sessions, evicted } = await store({ maxSessionsPerUser: 2 });
      const other = await sessions.create('bob-1', 'bob');
      const first = await sessions.create('ann-1', 'ann');
      const second = await sessions.create('ann-2', 'ann');
      await sessions.get(first);
      await sessions.create('ann-3', 'ann');
      expect(evicted).toEqual(['ann-2']);
      await expect(sessions.get(first)).resolves.toBe('ann-1');
      await expect(sessions.get(second)).resolves.toBeUndefined();
      await expect(sessions.get(other)).resolves.toBe('bob-1');
    });
  });

  it('hands a deleted session to onEvict once, however many instances delete it', async () => {
    const { sessions: first, evicted: firstEvicted } = await store();
    const { sessions: second, evicted: secondEvicted } = await store();
    const id = await first.create('alice', 'alice');
    await Promise.all([first.delete(id), second.delete(id)]);
    expect([...firstEvicted, ...secondEvicted]).toEqual(['alice']);
    await expect(second.get(id)).resolves.toBeUndefined();
  });

  it('fails a command to a Redis that hangs within commandTimeoutMs, instead of hanging', async () => {
    const hung = await startRedisServer();
    const client = await createClient({ url: hung.url, disableOfflineQueue: true }).connect();
    const sessions = new RedisSessionStore<string>({ client, name: 'test', codec: JSON_CODEC, commandTimeoutMs: 300 });
    const id = await sessions.create('alice', 'alice');
    process.kill(hung.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(sessions.get(id)).rejects.toMatchObject({ code: 'timeout', timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      process.kill(hung.pid, 'SIGCONT');
      client.destroy();
      await hung.stop();
    }
  });

  it('returns nothing for an unknown or missing id', async () => {
    const { sessions } = await store();
    await expect(sessions.get('forged')).resolves.toBeUndefined();
    await expect(sessions.get(undefined)).resolves.toBeUndefined();
  });
});

describe('two demo apps on one Redis', () => {
  const settings: SmartConnectSettings = {
    provider: 'real',
    target: { baseUrl: '' },
    ...SMARTCONNECT_DEMO_CLIENT,
    samplePath: 'api/v1/me',
  };
  const logLines: string[] = [];

  async function instance(key = KEY): Promise<DemoApp> {
    const client = await connect();
    const tokenStore = new RedisTokenStore({ client, encryptionKey: key });
    tokenStores.push(tokenStore);
    const smartconnect = { ...settings, target: { baseUrl: provider.url } };
    return createApp({
      smartconnect,
      smithcart: { provider: 'embedded', baseUrl: 'http://127.0.0.1:4999', clientId: 'Y2XPZW50Q31A' },
      publicDir: '/nonexistent',
      log: (line) => logLines.push(line),
      backend: redisSessionBackend({
        client,
        cipher: await createSessionCipher([key]),
        tokenStore,
        settings: smartconnect,
        log: (line) => logLines.push(line),
      }),
    });
  }

  function request(demo: DemoApp, path: string, init: RequestInit = {}): Promise<Response> {
    return Promise.resolve(
      demo.app.request(`${ORIGIN}${path}`, init, { incoming: { socket: { remoteAddress: '192.0.2.7' } } }),
    );
  }

  async function signIn(demo: DemoApp): Promise<string> {
    const response = await request(demo, '/smartconnect/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: new URLSearchParams({
        username: SMARTCONNECT_DEMO_USER.username,
        password: SMARTCONNECT_DEMO_USER.password,
      }).toString(),
    });
    expect(response.status).toBe(303);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('grantkit_demo_session='));
    return (cookie as string).split(';')[0] as string;
  }

  it('serves the user signed in on one to the other, with one token request in all', async () => {
    const [first, second] = [await instance(), await instance()];
    const cookie = await signIn(first);
    const page = await (await request(second, '/', { headers: { cookie } })).text();
    expect(page).toContain('Signed in as <strong>demo@example.com</strong>');
    expect(page).toContain('data-testid="smartconnect-sample"');
    expect(page).toContain('Demo User');
    expect(tokenRequests).toBe(1);
  });

  it('keeps no password, client secret, token or session id in Redis in clear', async () => {
    const [first, second] = [await instance(), await instance()];
    const cookie = await signIn(first);
    const session = await second.sessions.get(cookie.split('=')[1]);
    const token = (await session?.client.getToken())?.expose() as string;
    expect(token).toBeTruthy();
    const dump = await everythingInRedis();
    expect(dump).toMatch(/:session:/);
    expect(dump).toMatch(/:token /);
    for (const secret of [
      SMARTCONNECT_DEMO_USER.password,
      SMARTCONNECT_DEMO_CLIENT.clientSecret,
      token,
      cookie.split('=')[1],
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('signs out everywhere: a sign-out on one ends the session and forgets its token on both', async () => {
    const [first, second] = [await instance(), await instance()];
    const cookie = await signIn(first);
    const signedOut = await request(second, '/smartconnect/sign-out', {
      method: 'POST',
      headers: { origin: ORIGIN, cookie },
    });
    expect(signedOut.status).toBe(303);
    const page = await (await request(first, '/', { headers: { cookie } })).text();
    expect(page).not.toContain('Signed in as');
    expect(await everythingInRedis()).not.toMatch(/:token\b/);
  });

  it('shows a session sealed under another GRANTKIT_TOKEN_KEY as signed out, and logs why', async () => {
    const first = await instance();
    const stranger = await instance(randomBytes(32).toString('base64'));
    const cookie = await signIn(first);
    const page = await (await request(stranger, '/', { headers: { cookie } })).text();
    expect(page).not.toContain('Signed in as');
    expect(logLines).toContain('A session in Redis was unreadable: ConfigurationError (configuration_error)');
  });
});
