// The README's setup, run as pasted: its block is copied into a module of a fresh process that then makes one
// SmartConnect call and shuts the SDK down, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a receiver here.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveFetchHandler } from '@grantkit/core/testing';
import { createMockSmartConnect } from '@grantkit/smartconnect/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startOtlpReceiver } from './support/otlp-receiver.js';
import { credentials } from './support/telemetry.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const setup = /## Setup in ten lines\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const module = fileURLToPath(new URL('./readme-setup.generated.ts', import.meta.url));
const closing: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@grantkit/source', '--import', 'tsx', module], {
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe("the README's ten-line setup", () => {
  it('is ten lines at most', () => {
    expect(setup.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(10);
  });

  it('sends the acquisition span and its token request span to OTEL_EXPORTER_OTLP_ENDPOINT, as pasted', async () => {
    const receiver = await startOtlpReceiver();
    closing.push(() => receiver.close());
    const provider = await serveFetchHandler(createMockSmartConnect());
    closing.push(() => provider.close());
    writeFileSync(
      module,
      `${setup}
const { createSmartConnectClient } = await import('@grantkit/smartconnect');
const client = createSmartConnectClient({ baseUrl: process.env.PROVIDER_URL ?? '', credentials: ${JSON.stringify(credentials)} });
await client.api.get('api/v1/me').json();
await tracerProvider.shutdown();
`,
    );
    closing.push(() => rmSync(module, { force: true }));

    const { code, stderr } = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, PROVIDER_URL: provider.url });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const spans = receiver.spans();
    const acquire = spans.find((span) => span.name === 'grantkit.token.acquire');
    expect(acquire).toBeDefined();
    expect(spans.find((span) => span.name === 'POST')?.parentSpanId).toBe(acquire?.spanId);
  }, 60_000);
});
