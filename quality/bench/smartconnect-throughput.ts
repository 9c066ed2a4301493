// Throughput and client CPU of @grantkit/smartconnect's `api` against bare ky and raw fetch, all with a
// Bearer header, against the mock provider on loopback; then token requests for 500 cold concurrent calls.
// The mock runs in a child process so the client's CPU time is its own.
//
//   pnpm --filter @grantkit/smartconnect build && cd quality && pnpm exec tsx bench/smartconnect-throughput.ts
//   options: --requests 20000 --concurrency 64 --rounds 5
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import ky from 'ky';

const PATH = 'api/v1/me';
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

type Call = () => Promise<unknown>;
interface Sample {
  rps: number;
  cpuUsPerRequest: number;
}

async function startMockProcess(): Promise<{ url: string; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The mock process exited with ${code}`)));
  });
  return { url, stop: () => child.disconnect() };
}

async function run(call: Call, requests: number, concurrency: number): Promise<Sample> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      await call();
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rps: requests / seconds, cpuUsPerRequest: (used.user + used.system) / requests };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function coldTokenRequests(calls: number): Promise<{ tokenRequests: number; succeeded: number }> {
  const mock = createMockSmartConnect();
  const server = await serveFetchHandler(mock);
  try {
    const client = createSmartConnectClient({ baseUrl: server.url, credentials });
    const results = await Promise.allSettled(Array.from({ length: calls }, () => client.api.get(PATH).json()));
    return {
      tokenRequests: mock.stats.tokenRequests,
      succeeded: results.filter((result) => result.status === 'fulfilled').length,
    };
  } finally {
    await server.close();
  }
}

const KY = 'ky 2.1 + beforeRequest Bearer hook';
const GRANTKIT = '@grantkit/smartconnect api.get';

/** Runs every contender `rounds` times in rotating order; one row per contender, medians, ratios to ky. */
async function measure(contenders: [string, Call][], requests: number, concurrency: number, rounds: number) {
  for (const [, call] of contenders) await run(call, Math.min(2_000, requests), concurrency);
  const samples = new Map<string, Sample[]>(contenders.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    // Rotate the order each round so no contender always runs first or last.
    for (let i = 0; i < contenders.length; i += 1) {
      const [name, call] = contenders[(round + i) % contenders.length] as [string, Call];
      samples.get(name)?.push(await run(call, requests, concurrency));
    }
  }
  const kyRuns = samples.get(KY) ?? [];
  return contenders.map(([name]) => {
    const runs = samples.get(name) ?? [];
    // Runs of the same round share the machine's mood, so the ratio is taken round by round.
    const paired = median(runs.map((sample, round) => sample.rps / (kyRuns[round]?.rps ?? Number.NaN)));
    return {
      client: name,
      'requests/s': Math.round(median(runs.map((s) => s.rps))),
      'client CPU µs/request': Math.round(median(runs.map((s) => s.cpuUsPerRequest))),
      'throughput vs ky (paired median)': `${(paired * 100).toFixed(1)} %`,
    };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '64' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const loadBefore = loadavg()[0]?.toFixed(1);

  const mock = await startMockProcess();
  let loopback: Awaited<ReturnType<typeof measure>>;
  try {
    const client = createSmartConnectClient({ baseUrl: mock.url, credentials });
    const header = (await client.getToken()).authorizationHeader();
    const bareKy = ky.create({
      prefix: mock.url,
      hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', header)] },
    });
    loopback = await measure(
      [
        [
          'raw fetch + Bearer header',
          () => fetch(`${mock.url}/${PATH}`, { headers: { authorization: header } }).then((r) => r.json()),
        ],
        [KY, () => bareKy.get(PATH).json()],
        [GRANTKIT, () => client.api.get(PATH).json()],
      ],
      requests,
      concurrency,
      rounds,
    );
  } finally {
    mock.stop();
  }

  // The same mock handler called in-process as `fetch`: no sockets, so the figures are the clients' own cost.
  const handler = createMockSmartConnect();
  const inMemory: typeof fetch = async (input, init) =>
    handler(input instanceof Request && init === undefined ? input : new Request(input, init));
  const memoryClient = createSmartConnectClient({ baseUrl: 'http://127.0.0.1:9', credentials, fetch: inMemory });
  const memoryHeader = (await memoryClient.getToken()).authorizationHeader();
  const memoryKy = ky.create({
    prefix: 'http://127.0.0.1:9',
    fetch: inMemory,
    hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', memoryHeader)] },
  });
  const inProcess = await measure(
    [
      [KY, () => memoryKy.get(PATH).json()],
      [GRANTKIT, () => memoryClient.api.get(PATH).json()],
    ],
    requests,
    concurrency,
    // Runs without sockets are short and their medians swing with GC, so they get more rounds.
    rounds * 2 + 1,
  );

  const cold = await coldTokenRequests(500);
  console.log(
    `\nNode ${process.version}, ${cpus().length} CPUs, load average ${loadBefore} before / ${loadavg()[0]?.toFixed(1)} after;`,
    `GET /${PATH}; N=${requests} per run, concurrency ${concurrency}, ${rounds} alternating rounds, medians.`,
  );
  console.log('\nLoopback HTTP (mock served in a child process on 127.0.0.1):');
  console.table(loopback);
  console.log(`\nIn-process (the mock handler as \`fetch\`, no sockets; ${rounds * 2 + 1} rounds): client cost only:`);
  console.table(inProcess);
  console.log(
    `\n500 cold concurrent api.get calls: ${cold.tokenRequests} token request(s), ${cold.succeeded}/500 succeeded.`,
  );
}

if (process.argv.includes('--serve')) {
  const server = await serveFetchHandler(createMockSmartConnect());
  process.send?.({ url: server.url });
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
} else {
  await main();
}
