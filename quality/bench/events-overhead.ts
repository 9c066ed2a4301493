// The cost of grantkit's events on the Bearer client's hot path, on loopback: nobody listening (the default),
// a subscribe() listener on every channel, and @grantkit/opentelemetry with the OpenTelemetry SDK (tracer and
// meter providers with in-memory exporters), over loopback HTTP and with an in-process fetch (no network: the
// client's own CPU only, far less noisy). Also the cost of the "is anyone listening?" check itself.
//   pnpm exec tsx bench/events-overhead.ts [--requests 10000] [--concurrency 64] [--rounds 3]
import { fileURLToPath } from 'node:url';
import { AccessToken, subscribe } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import { traceHttp } from '@grantkit/core/internal';
import { instrumentGrantKit } from '@grantkit/opentelemetry';
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { drive, median, numberOption, report, type Sample, startChild } from './measure.js';

const requests = numberOption('requests', 10_000);
const concurrency = numberOption('concurrency', 64);
const rounds = numberOption('rounds', 3);

/** Nanoseconds per call of the check every instrumented place makes while nobody listens. */
function idleCheckNs(): number {
  const calls = 5_000_000;
  let found = 0;
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) if (traceHttp('api', 'GET', 'https://api.example.com/') !== undefined) found += 1;
  const ns = ((performance.now() - started) * 1e6) / calls;
  if (found !== 0) throw new Error('someone is listening');
  return ns;
}

const server = await startChild(fileURLToPath(new URL('./loopback-server.ts', import.meta.url)));
try {
  const token = new AccessToken({ value: 'bench-token-0123456789abcdef', scope: ['read'] });
  const client = createBearerClient({ prefixUrl: server.url, getToken: () => token });
  const call = () => client.get('me').json();
  // No network: an answer made in-process, so only the client's own work is timed.
  const local = createBearerClient({
    prefixUrl: 'https://api.example.com/',
    getToken: () => token,
    fetch: async () => Response.json({ id: 1 }),
  });
  const localCall = () => local.get('me').json();
  const localRequests = requests * 4;

  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(0), exportIntervalMillis: 3_600_000 }),
    ],
  });
  let events = 0;
  // Each contender turns its listener on for its own runs only.
  const contenders: [string, () => () => void][] = [
    ['no subscriber (default)', () => () => undefined],
    [
      'subscribe() listener on every channel',
      () =>
        subscribe(() => {
          events += 1;
        }),
    ],
    ['@grantkit/opentelemetry + OpenTelemetry SDK', () => instrumentGrantKit({ tracerProvider, meterProvider })],
  ];
  const measure = async (run: () => Promise<unknown>, count: number) => {
    await drive(run, Math.min(2_000, count), concurrency);
    const samples = new Map<string, Sample[]>(contenders.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < contenders.length; i += 1) {
        const [name, listen] = contenders[(round + i) % contenders.length] as [string, () => () => void];
        const stop = listen();
        try {
          samples.get(name)?.push(await drive(run, count, concurrency));
        } finally {
          stop();
        }
      }
    }
    return samples;
  };
  const rows = (samples: Map<string, Sample[]>) => {
    const baseline = samples.get('no subscriber (default)') ?? [];
    return contenders.map(([name]) => {
      const runs = samples.get(name) ?? [];
      const vsNone = median(runs.map((sample, round) => sample.rps / (baseline[round]?.rps ?? Number.NaN)));
      return {
        events: name,
        'requests/s': Math.round(median(runs.map((sample) => sample.rps))),
        'client CPU µs/request': Math.round(median(runs.map((sample) => sample.cpuUsPerRequest))),
        'vs no subscriber': `${(vsNone * 100).toFixed(1)} %`,
      };
    });
  };
  const inProcess = await measure(localCall, localRequests);
  const loopback = await measure(call, requests);
  if (events === 0) throw new Error('the listener saw no event');
  report(
    `Events overhead of the Bearer client, in-process fetch (GET, ${localRequests.toLocaleString('en')} requests × ${rounds} rounds, concurrency ${concurrency}, medians)`,
    rows(inProcess),
  );
  report(
    `Events overhead of the Bearer client on loopback (GET, ${requests.toLocaleString('en')} requests × ${rounds} rounds, concurrency ${concurrency}, medians)`,
    [
      ...rows(loopback),
      {
        events: 'the idle check alone (nobody listening), ns per instrumented place',
        'requests/s': '',
        'client CPU µs/request': idleCheckNs().toFixed(1),
        'vs no subscriber': '',
      },
    ],
  );
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
} finally {
  server.stop();
}
