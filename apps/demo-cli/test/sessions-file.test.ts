import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { makeHome, runCli } from './support/cli.js';

const token = { accessToken: 'a.b.c', tokenType: 'bearer', scope: 'private', expiresAt: Date.now() + 3_600_000 };

describe('grantkit-demo commands run at the same time', () => {
  it('never lose each other’s change to sessions.json (two logouts at once, ten times over)', async () => {
    const left: string[][] = [];
    for (let round = 0; round < 10; round += 1) {
      const home = await makeHome();
      try {
        const file = join(home.path, 'sessions.json');
        const sessions = {
          'smartconnect-mock': { username: 'demo@example.com', clientId: 'id', token },
          'smithcart-mock': { username: 'ada', token },
        };
        await writeFile(file, JSON.stringify({ version: 1, sessions }), { mode: 0o600 });

        const results = await Promise.all([
          runCli(['smartconnect', 'logout', '--mock', '--json'], home.path),
          runCli(['smithcart', 'logout', '--mock', '--json'], home.path),
        ]);

        expect(results.map((result) => JSON.parse(result.stdout).signedOut)).toEqual([true, true]);
        const content = await readFile(file, 'utf8').catch(() => '{"sessions": {}}');
        left.push(Object.keys(JSON.parse(content).sessions));
      } finally {
        await home.remove();
      }
    }

    expect(left).toEqual(Array.from({ length: 10 }, () => []));
  });
});
