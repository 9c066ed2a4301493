import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// A fresh process, so that core looks `node:diagnostics_channel` up for the first time after the change.
function runClient(withoutGetBuiltinModule: boolean): { body: unknown; events: string[]; viaNode: string[] } {
  const script = `
    ${withoutGetBuiltinModule ? 'delete process.getBuiltinModule; // as on Node < 22.3 and outside Node' : ''}
    const diagnosticsChannel = await import('node:diagnostics_channel');
    const viaNode = [];
    diagnosticsChannel.subscribe('grantkit:http', (message) => viaNode.push(message.channel));
    const { AccessToken, subscribe } = await import('@grantkit/core');
    const { createBearerClient } = await import('@grantkit/core/bearer');
    const events = [];
    subscribe((event) => events.push(event.channel));
    const token = new AccessToken({ value: 'token-0123456789' });
    const client = createBearerClient({
      prefixUrl: 'https://api.example.com/',
      getToken: () => token,
      fetch: async () => Response.json({ id: 1 }),
    });
    const body = await client.get('me').json();
    console.log(JSON.stringify({ body, events, viaNode }));`;
  const result = spawnSync(
    process.execPath,
    ['--conditions=@grantkit/source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 30_000 },
  );
  if (result.status !== 0) throw new Error(`the client process failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('events where process.getBuiltinModule is missing', () => {
  it('still answers and delivers to subscribe(), and publishes nothing on diagnostics_channel', () => {
    expect(runClient(true)).toEqual({ body: { id: 1 }, events: ['grantkit:http'], viaNode: [] });
  });

  it('publishes on diagnostics_channel where it is there', () => {
    expect(runClient(false)).toEqual({ body: { id: 1 }, events: ['grantkit:http'], viaNode: ['grantkit:http'] });
  });
});
