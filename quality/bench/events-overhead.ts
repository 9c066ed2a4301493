// The cost of grantkit's events on the hot path of the Bearer client and of the SmartConnect client, with an
// in-process fetch (no network: the client's own CPU only, far less noisy than loopback). Four contenders run
// in alternating rounds in one process:
//   - "before events": the same build with the events compiled out (core's events/publish.ts replaced by
//     no-ops), i.e. grantkit as it was before it had events;
//   - "no subscriber": the real build, nobody listening (the default);
//   - a subscribe() listener on every channel;
//   - @grantkit/opentelemetry with the OpenTelemetry SDK (tracer and meter providers, in-memory exporters).
// Both builds are esbuild bundles made here from the sources, so that they differ by the events alone. Many
// short rounds, each contender's run next to the baseline's, because a shared machine's load drifts. Also the
// cost of the "is anyone listening?" check itself, the only thing the default adds, in ns per instrumented place.
//   pnpm exec tsx bench/events-overhead.ts [--requests 10000] [--concurrency 64] [--rounds 15]
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { build, type Plugin } from 'esbuild';
import { drive, median, numberOption, report, type Sample } from './measure.js';

const requests = numberOption('requests', 10_000);
const concurrency = numberOption('concurrency', 64);
const rounds = numberOption('rounds', 15);

type Grantkit = typeof import('./events-overhead-entry.js');

// Every export of events/publish.ts, doing nothing: what the clients did before there were events.
const withoutEvents: Plugin = {
  name: 'without-events',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]core[\\/]src[\\/]events[\\/]publish\.ts$/ }, () => ({
      loader: 'js',
      contents: `
        export const isObserved = () => false;
        export const publish = () => undefined;
        export const errorCodeOf = () => 'unknown';
        export const traceHttp = () => undefined;
        export const traceTokenAcquire = (_reason, run) => run(undefined);`,
    }));
  },
};

// Inside node_modules, so that the bundles find @opentelemetry/api (kept external: one API for the SDK and them).
const outDir = fileURLToPath(new URL('../node_modules/.cache/grantkit-events-bench/', import.meta.url));

async function bundle(name: string, plugins: Plugin[]): Promise<Grantkit> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./events-overhead-entry.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    conditions: ['@grantkit/source'],
    external: ['@opentelemetry/api'],
    write: false,
    logLevel: 'error',
    plugins,
  });
  mkdirSync(outDir, { recursive: true });
  const file = `${outDir}${name}.mjs`;
  writeFileSync(file, result.outputFiles[0]?.contents ?? '');
  return (await import(pathToFileURL(file).href)) as Grantkit;
}

const before = await bundle('before-events', [withoutEvents]);
const today = await bundle('with-events', []);

const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
const metricReader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(0),
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [metricReader] });
let events = 0;

interface Contender {
  name: string;
  build: Grantkit;
  /** Turns its listener on; returns what turns it off. */
  listen: () => () => void;
}
const contenders: Contender[] = [
  { name: 'before events (compiled out)', build: before, listen: () => () => undefined },
  { name: 'no subscriber (default)', build: today, listen: () => () => undefined },
  {
    name: 'subscribe() listener on every channel',
    build: today,
    listen: () =>
      today.subscribe(() => {
        events += 1;
      }),
  },
  {
    name: '@grantkit/opentelemetry + OpenTelemetry SDK',
    build: today,
    listen: () => today.instrumentGrantKit({ tracerProvider, meterProvider }),
  },
];

/** One call of a client made by `build`, answered in-process. */
type Workload = (build: Grantkit) => () => Promise<unknown>;

const bearerCall: Workload = (build) => {
  const token = new build.AccessToken({ value: 'bench-token-0123456789abcdef', scope: ['read'] });
  const client = build.createBearerClient({
    prefixUrl: 'https://api.example.com/',
    getToken: () => token,
    fetch: async () => Response.json({ id: 1 }),
  });
  return () => client.get('me').json();
};

const smartConnectCall: Workload = (build) => {
  const mock = build.createMockSmartConnect();
  const client = build.createSmartConnectClient({
    baseUrl: 'https://api.example.com',
    credentials: { ...build.SMARTCONNECT_DEMO_USER, ...build.SMARTCONNECT_DEMO_CLIENT },
    fetch: async (input, init) => mock(new Request(input, init)),
  });
  return () => client.api.get('api/v1/me').json();
};

async function measure(workload: Workload): Promise<Record<string, string | number>[]> {
  const calls = new Map(contenders.map((contender) => [contender, workload(contender.build)]));
  const samples = new Map<Contender, Sample[]>(contenders.map((contender) => [contender, []]));
  for (const [, call] of calls) await drive(call, 2_000, concurrency);
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < contenders.length; i += 1) {
      const contender = contenders[(round + i) % contenders.length] as Contender;
      const stop = contender.listen();
      try {
        samples
          .get(contender)
          ?.push(await drive(calls.get(contender) as () => Promise<unknown>, requests, concurrency));
      } finally {
        stop();
      }
    }
  }
  const baseline = samples.get(contenders[0] as Contender) ?? [];
  const baselineCpu = median(baseline.map((sample) => sample.cpuUsPerRequest));
  return contenders.map((contender) => {
    const runs = samples.get(contender) ?? [];
    // Paired by round: each ratio compares two runs made one after the other.
    const ratio = median(runs.map((sample, round) => sample.rps / (baseline[round]?.rps ?? Number.NaN)));
    const cpu = median(runs.map((sample) => sample.cpuUsPerRequest));
    return {
      events: contender.name,
      'requests/s': Math.round(median(runs.map((sample) => sample.rps))),
      'CPU µs/request': cpu.toFixed(1),
      'CPU µs/request vs before': (cpu - baselineCpu).toFixed(1),
      'throughput vs before (paired median)': `${(ratio * 100).toFixed(1)} %`,
    };
  });
}

/** Nanoseconds per "is anyone listening?" check while nobody listens (an HTTP exchange's, and a cache lookup's). */
function idleCheckNs(): { http: number; cache: number } {
  const calls = 5_000_000;
  let found = 0;
  let started = performance.now();
  for (let i = 0; i < calls; i += 1) if (today.traceHttp('api', 'GET', 'https://api.example.com/')) found += 1;
  const http = ((performance.now() - started) * 1e6) / calls;
  started = performance.now();
  for (let i = 0; i < calls; i += 1) if (today.isObserved('grantkit:token:cache')) found += 1;
  const cache = ((performance.now() - started) * 1e6) / calls;
  if (found !== 0) throw new Error('someone is listening');
  return { http, cache };
}

const idle = idleCheckNs();
const bearer = await measure(bearerCall);
const smartconnect = await measure(smartConnectCall);
if (events === 0) throw new Error('the subscribe() listener saw no event');
const title = (client: string) =>
  `Events overhead of ${client}, in-process fetch (GET, ${requests.toLocaleString('en')} requests × ${rounds} rounds, concurrency ${concurrency}, medians)`;
report(title('the Bearer client (createBearerClient)'), bearer);
report(title("the SmartConnect client (api.get, token cached; the in-process mock's work included)"), smartconnect);
const cpuOf = (rows: Record<string, string | number>[]) => Number(rows[0]?.['CPU µs/request']);
report('The idle check (nobody listening): what the default adds to each request', [
  {
    client: 'Bearer client (1 check: the HTTP exchange)',
    'ns/request': idle.http.toFixed(1),
    'share of the CPU per request': `${((idle.http / 1000 / cpuOf(bearer)) * 100).toFixed(2)} %`,
  },
  {
    client: 'SmartConnect client (2 checks: the HTTP exchange, the cache lookup)',
    'ns/request': (idle.http + idle.cache).toFixed(1),
    'share of the CPU per request': `${(((idle.http + idle.cache) / 1000 / cpuOf(smartconnect)) * 100).toFixed(2)} %`,
  },
]);
await tracerProvider.shutdown();
await meterProvider.shutdown();
