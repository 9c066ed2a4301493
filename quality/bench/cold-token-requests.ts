// Token requests caused by 500 concurrent API calls on a cold token cache: @grantkit/smartconnect's client
// vs calling requestPasswordToken per call (what a client without a shared in-flight renewal does).
//   pnpm exec tsx bench/cold-token-requests.ts [--calls 500]
import { serveFetchHandler } from '@grantkit/core/testing';
import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { numberOption, report } from './measure.js';

const calls = numberOption('calls', 500);
const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const rows: Record<string, string | number>[] = [];

async function measure(name: string, run: (baseUrl: string) => Promise<unknown>): Promise<void> {
  const mock = createMockSmartConnect();
  // A token endpoint takes a moment in real life; that is when a stampede forms.
  mock.setTokenDelay(50);
  const server = await serveFetchHandler(mock);
  try {
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: calls }, () => run(server.url)));
    rows.push({
      client: name,
      'token requests': mock.stats.tokenRequests,
      'calls answered': `${results.filter((result) => result.status === 'fulfilled').length}/${calls}`,
      'wall ms': Math.round(performance.now() - t0),
    });
  } finally {
    await server.close();
  }
}

let client: ReturnType<typeof createSmartConnectClient> | undefined;
await measure('@grantkit/smartconnect createSmartConnectClient', (baseUrl) => {
  client ??= createSmartConnectClient({ baseUrl, credentials });
  return client.api.get('api/v1/me').json();
});
await measure('a token request per call (no shared renewal)', async (baseUrl) => {
  const token = await requestPasswordToken({ baseUrl, ...credentials });
  const response = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: token.authorizationHeader() } });
  return response.json();
});
report(`${calls} concurrent API calls on a cold token cache (token endpoint answers after 50 ms)`, rows);
