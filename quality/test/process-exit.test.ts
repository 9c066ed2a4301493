import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const CLIENT_TIMEOUT_MS = 60_000;
const quality = fileURLToPath(new URL('..', import.meta.url));

// Runs as a separate Node process on the built packages, as a user's script would.
const oneCallScript = `
import { createServer } from 'node:http';
import { createBearerClient } from '@grantkit/core/bearer';
const server = createServer((request, response) => response.end(request.method === 'HEAD' ? '' : '{"ok":true}'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const api = createBearerClient({
  prefixUrl: 'http://127.0.0.1:' + server.address().port,
  getToken: () => 'token',
  timeout: ${CLIENT_TIMEOUT_MS},
});
await api.get('data').json();
await api.head('data');
server.close();
server.closeAllConnections();
`;

function runScript(source: string): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: quality, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve({ code, ms: performance.now() - started }));
  });
}

describe('a script that calls an API with createBearerClient', () => {
  it(
    'exits once its calls are done, without waiting for their timeout',
    async () => {
      const { code, ms } = await runScript(oneCallScript);
      expect(code).toBe(0);
      // A pending deadline timer would hold the process for the whole 60 s timeout.
      expect(ms).toBeLessThan(CLIENT_TIMEOUT_MS / 2);
    },
    CLIENT_TIMEOUT_MS * 2,
  );
});
