// A fleet's cold start: 8 processes × 250 concurrent API calls on a cold token cache, the token endpoint
// answering after 50 ms. Token requests and wall time until every call is answered, for MemoryTokenStore
// (one token per process), RedisTokenStore (one for the fleet) and a naive client (one per call). Then the
// steady-state cost per API call of a warm client on RedisTokenStore against MemoryTokenStore (the hot
// path must not touch Redis). Needs `redis-server` on the PATH.
//   pnpm exec tsx bench/fleet-cold-start.ts [--processes 8] [--calls 250] [--requests 4000] [--rounds 15]
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryTokenStore, type TokenStore } from '@grantkit/core';
import { serveFetchHandler } from '@grantkit/core/testing';
import { RedisTokenStore } from '@grantkit/redis';
import { startRedisServer } from '@grantkit/redis/testing';
import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { createClient } from 'redis';
import { drive, median, numberOption, report } from './measure.js';

type Contender = 'memory' | 'redis' | 'naive';
interface Job {
  contender: Contender;
  mockUrl: string;
  redisUrl: string;
  encryptionKey: string;
  calls: number;
}

const PATH = 'api/v1/me';
const KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

/** One instance of the fleet: sets up on `setup`, fires its calls on `go`, reports how many were answered. */
async function worker(): Promise<void> {
  let job: Job | undefined;
  let call: (() => Promise<unknown>) | undefined;
  let redis: ReturnType<typeof createClient> | undefined;
  let store: RedisTokenStore | undefined;
  process.on('message', async (message: { type: 'setup'; job: Job } | { type: 'go' } | { type: 'stop' }) => {
    if (message.type === 'setup') {
      job = message.job;
      const { mockUrl } = job;
      let tokenStore: TokenStore = new MemoryTokenStore();
      if (job.contender === 'redis') {
        redis = createClient({ url: job.redisUrl });
        redis.on('error', () => undefined);
        await redis.connect();
        store = new RedisTokenStore({ client: redis, encryptionKey: job.encryptionKey });
        tokenStore = store;
      }
      if (job.contender === 'naive') {
        call = async () => {
          const token = await requestPasswordToken({ baseUrl: mockUrl, ...credentials });
          const response = await fetch(`${mockUrl}/${PATH}`, {
            headers: { authorization: token.authorizationHeader() },
          });
          return response.json();
        };
      } else {
        const client = createSmartConnectClient({ baseUrl: mockUrl, credentials, tokenStore });
        call = () => client.api.get(PATH).json();
      }
      process.send?.({ type: 'ready' });
    } else if (message.type === 'go') {
      const results = await Promise.allSettled(Array.from({ length: job?.calls ?? 0 }, () => call?.()));
      process.send?.({ type: 'done', answered: results.filter((result) => result.status === 'fulfilled').length });
    } else {
      store?.close();
      redis?.destroy();
      process.exit(0);
    }
  });
}

/** Sends `message` and resolves with the child's next message of type `type`. */
function ask(child: ChildProcess, message: object, type: string): Promise<Record<string, number>> {
  const reply = new Promise<Record<string, number>>((resolve, reject) => {
    const onMessage = (message: { type: string } & Record<string, number>) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`A fleet process exited with ${code}`)));
  });
  child.send(message);
  return reply;
}

async function coldStart(contender: Contender, processes: number, calls: number, redisUrl: string) {
  const mock = createMockSmartConnect();
  mock.setTokenDelay(50);
  const server = await serveFetchHandler(mock);
  const children = Array.from({ length: processes }, () =>
    fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    // One key for the fleet, as every instance of a deployment shares it.
    const job: Job = { contender, mockUrl: server.url, redisUrl, encryptionKey: KEY, calls };
    await Promise.all(children.map((child) => ask(child, { type: 'setup', job }, 'ready')));
    // Every process is up and connected: only the calls are timed.
    const t0 = performance.now();
    const done = await Promise.all(children.map((child) => ask(child, { type: 'go' }, 'done')));
    const wallMs = performance.now() - t0;
    for (const child of children) child.send({ type: 'stop' });
    const answered = done.reduce((sum, reply) => sum + (reply.answered ?? 0), 0);
    return { tokenRequests: mock.stats.tokenRequests, answered, wallMs };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await server.close();
  }
}

async function steadyState(redisUrl: string, requests: number, rounds: number) {
  // The mock handler called in-process as `fetch`: no sockets, so the figures are the clients' own cost.
  const handler = createMockSmartConnect();
  const inMemory: typeof fetch = async (input, init) =>
    handler(input instanceof Request && init === undefined ? input : new Request(input, init));
  const redis = createClient({ url: redisUrl });
  redis.on('error', () => undefined);
  await redis.connect();
  const store = new RedisTokenStore({ client: redis, encryptionKey: KEY });
  const baseUrl = 'http://127.0.0.1:9';
  const onMemory = createSmartConnectClient({ baseUrl, credentials, fetch: inMemory });
  const onRedis = createSmartConnectClient({ baseUrl, credentials, fetch: inMemory, tokenStore: store });
  const contenders: [string, () => Promise<unknown>][] = [
    ['MemoryTokenStore', () => onMemory.api.get(PATH).json()],
    ['RedisTokenStore', () => onRedis.api.get(PATH).json()],
  ];
  for (const [, call] of contenders) await drive(call, Math.min(2_000, requests), 64);
  // The store talks to Redis only through EVAL (and DEL on sign-out): count them over the timed runs.
  const storeCommands = async () => {
    const stats = await redis.info('commandstats');
    return [...stats.matchAll(/^cmdstat_(?:eval|del):calls=(\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  };
  const commandsBefore = await storeCommands();
  const samples = new Map(contenders.map(([name]) => [name, [] as { rps: number; cpuUsPerRequest: number }[]]));
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < contenders.length; i += 1) {
      const [name, call] = contenders[(round + i) % contenders.length] as [string, () => Promise<unknown>];
      samples.get(name)?.push(await drive(call, requests, 64));
    }
  }
  const commandsDuring = (await storeCommands()) - commandsBefore;
  store.close();
  redis.destroy();
  const memory = samples.get('MemoryTokenStore') ?? [];
  return contenders.map(([name]) => {
    const runs = samples.get(name) ?? [];
    // Runs of the same round share the machine's mood, so ratios are taken round by round.
    const cost = median(runs.map((sample, round) => sample.cpuUsPerRequest / (memory[round]?.cpuUsPerRequest ?? 1)));
    const speed = median(runs.map((sample, round) => sample.rps / (memory[round]?.rps ?? 1)));
    return {
      store: name,
      'requests/s': Math.round(median(runs.map((sample) => sample.rps))),
      'client CPU µs/call': Number(median(runs.map((sample) => sample.cpuUsPerRequest)).toFixed(1)),
      'CPU per call vs memory (paired median)': `${cost >= 1 ? '+' : ''}${((cost - 1) * 100).toFixed(1)} %`,
      'throughput vs memory (paired median)': `${((speed - 1) * 100).toFixed(1)} %`,
      'Redis commands during the runs': name === 'RedisTokenStore' ? commandsDuring : '—',
    };
  });
}

async function main(): Promise<void> {
  const processes = numberOption('processes', 8);
  const calls = numberOption('calls', 250);
  // Many short alternating rounds: on a shared machine, paired medians of short runs are steadier than long runs.
  const requests = numberOption('requests', 4_000);
  const rounds = numberOption('rounds', 15);
  const redis = await startRedisServer();
  try {
    const rows: Record<string, string | number>[] = [];
    const labels: Record<Contender, string> = {
      memory: 'MemoryTokenStore (one per process)',
      redis: '@grantkit/redis RedisTokenStore',
      naive: 'a token request per call (naive)',
    };
    // An unrecorded round first, so that no contender pays for this process's cold start (JIT, sockets).
    await coldStart('memory', processes, Math.ceil(calls / 5), redis.url);
    for (const contender of ['memory', 'redis', 'naive'] as const) {
      const result = await coldStart(contender, processes, calls, redis.url);
      rows.push({
        'token store': labels[contender],
        'token requests': result.tokenRequests,
        'calls answered': `${result.answered}/${processes * calls}`,
        'wall ms': Math.round(result.wallMs),
      });
    }
    report(
      `Fleet cold start: ${processes} processes × ${calls} concurrent calls on a cold cache (token endpoint answers after 50 ms)`,
      rows,
    );
    report(
      `Steady state per API call, warm client, in-process mock (${requests.toLocaleString('en')} calls × ${rounds} alternating rounds, concurrency 64, medians)`,
      await steadyState(redis.url, requests, rounds),
    );
  } finally {
    await redis.stop();
  }
}

if (process.argv.includes('--worker')) await worker();
else await main();
