// Bearer-client throughput and client CPU per request on loopback: @grantkit/core's createBearerClient
// vs bare ky with a Bearer hook vs raw fetch with the header, against a bare node:http server in a child process.
//   pnpm exec tsx bench/bearer-throughput.ts [--requests 10000] [--concurrency 64] [--rounds 3]
import { fileURLToPath } from 'node:url';
import { AccessToken } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import ky from 'ky';
import { drive, median, numberOption, report, type Sample, startChild } from './measure.js';

const requests = numberOption('requests', 10_000);
const concurrency = numberOption('concurrency', 64);
const rounds = numberOption('rounds', 3);

const server = await startChild(fileURLToPath(new URL('./loopback-server.ts', import.meta.url)));
try {
  const token = new AccessToken({ value: 'bench-token-0123456789abcdef', scope: ['read'] });
  const header = token.authorizationHeader();
  const bareKy = ky.create({
    prefix: server.url,
    hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', header)] },
  });
  const grantkit = createBearerClient({ prefixUrl: server.url, getToken: () => token });
  const contenders: [string, () => Promise<unknown>][] = [
    [
      'raw fetch + Bearer header',
      () => fetch(`${server.url}/me`, { headers: { authorization: header } }).then((r) => r.json()),
    ],
    ['ky 2.1 + beforeRequest hook', () => bareKy.get('me').json()],
    ['@grantkit/core createBearerClient', () => grantkit.get('me').json()],
  ];
  for (const [, call] of contenders) await drive(call, Math.min(2_000, requests), concurrency);
  const samples = new Map<string, Sample[]>(contenders.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    // Rotate the order so that no contender always runs first on a noisy machine.
    for (let i = 0; i < contenders.length; i += 1) {
      const [name, call] = contenders[(round + i) % contenders.length] as [string, () => Promise<unknown>];
      samples.get(name)?.push(await drive(call, requests, concurrency));
    }
  }
  const kySamples = samples.get('ky 2.1 + beforeRequest hook') ?? [];
  report(
    `Bearer client on loopback (GET, ${requests.toLocaleString('en')} requests × ${rounds} rounds, concurrency ${concurrency}, medians)`,
    contenders.map(([name]) => {
      const runs = samples.get(name) ?? [];
      // Runs of one round share the machine's load, so the ratio to ky is taken round by round.
      const vsKy = median(runs.map((sample, round) => sample.rps / (kySamples[round]?.rps ?? Number.NaN)));
      return {
        client: name,
        'requests/s': Math.round(median(runs.map((sample) => sample.rps))),
        'client CPU µs/request': Math.round(median(runs.map((sample) => sample.cpuUsPerRequest))),
        'vs ky': `${(vsKy * 100).toFixed(0)} %`,
      };
    }),
  );
} finally {
  server.stop();
}
