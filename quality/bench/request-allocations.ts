// Bytes allocated per request by createBearerClient beside ky 2 with a Bearer hook, and where grantkit's extra
// bytes are allocated. Allocation is what the CPU figures of bearer-throughput.ts cannot show steadily on a
// shared machine: the same code allocates about the same bytes however busy the machine is, and garbage
// collection is much of what an extra allocation costs. Both clients answer from an in-process `fetch` (no
// sockets), and V8's sampling heap profiler counts every allocation, collected ones included.
//   pnpm turbo run build --filter @grantkit/core && cd quality && pnpm exec tsx bench/request-allocations.ts
//   options: --requests 20000
import { Session } from 'node:inspector/promises';
import { AccessToken } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import ky from 'ky';
import { drive, numberOption, report } from './measure.js';

const requests = numberOption('requests', 20_000);
const concurrency = 64;

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

const token = new AccessToken({ value: 'bench-token-0123456789abcdef', scope: ['read'] });
const header = token.authorizationHeader();
const body = JSON.stringify({ id: 1, name: 'bench' });
const answer = async () =>
  new Response(body, { headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
const prefix = 'http://127.0.0.1:1/';
const bareKy = ky.create({
  prefix,
  fetch: answer,
  hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', header)] },
});
const grantkit = createBearerClient({ prefixUrl: prefix, fetch: answer, getToken: () => token });

const session = new Session();
session.connect();

/** The allocation profile of `requests` calls, after a warm-up. */
async function profile(call: () => Promise<unknown>): Promise<ProfileNode> {
  await drive(call, 5_000, concurrency);
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await drive(call, requests, concurrency);
  const result = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  return result.profile.head;
}

const total = (node: ProfileNode): number => node.children.reduce((sum, child) => sum + total(child), node.selfSize);

/**
 * The bytes allocated while core's function `name` is the innermost grantkit frame on the stack (a resumed async
 * function starts a stack of its own, so its awaits do not hide it, and nothing is counted twice).
 */
function allocatedIn(name: string, node: ProfileNode, inside = false): number {
  const own = node.callFrame.url.includes('/packages/core/') ? node.callFrame.functionName === name : inside;
  return node.children.reduce((sum, child) => sum + allocatedIn(name, child, own), own ? node.selfSize : 0);
}

const perRequest = (bytes: number) => Math.round(bytes / requests);
const kyProfile = await profile(() => bareKy.get('me').json());
const grantkitProfile = await profile(() => grantkit.get('me').json());
session.disconnect();
const kyBytes = total(kyProfile);
const grantkitBytes = total(grantkitProfile);

report(`Bytes allocated per request, in-process fetch (GET, ${requests.toLocaleString('en')} requests)`, [
  { client: 'ky 2.1 + beforeRequest hook', 'bytes/request': perRequest(kyBytes), 'vs ky': '100 %' },
  {
    client: '@grantkit/core createBearerClient',
    'bytes/request': perRequest(grantkitBytes),
    'vs ky': `${((grantkitBytes / kyBytes) * 100).toFixed(0)} %`,
  },
]);

const buffered = allocatedIn('bufferedBody', grantkitProfile);
report("Where createBearerClient's extra bytes per request are allocated (in-process fetch)", [
  {
    part: "the body read within its cap into a new Response (core's bufferedBody and what it calls)",
    'bytes/request': perRequest(buffered),
  },
  {
    part: "the rest: the transport's other steps, and ky handling grantkit's options and hooks",
    'bytes/request': perRequest(grantkitBytes - kyBytes - buffered),
  },
]);
