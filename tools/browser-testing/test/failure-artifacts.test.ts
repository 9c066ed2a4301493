import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const jest = fileURLToPath(new URL('../../../node_modules/jest/bin/jest.js', import.meta.url));
const artifacts = mkdtempSync(join(tmpdir(), 'grantkit-e2e-artifacts-'));
afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

describe('a Chromium suite in the browser-testing environment', () => {
  const run = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', jest, '--config', join(fixtures, 'jest.config.js')],
    {
      cwd: fixtures,
      encoding: 'utf8',
      env: { ...process.env, ARTIFACTS_DIR: artifacts, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
      timeout: 120_000,
    },
  );
  const failures = join(artifacts, 'failures');

  it('ends red, and prints where the failed test left its artifacts', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `e2e failure artifacts of "a page under test fails and leaves its artifacts": ${failures}`,
    );
  });

  it("saves the failed test's screenshot, console and network log, and nothing for the test that passed", () => {
    expect(readdirSync(failures)).toEqual(['a-page-under-test-fails-and-leaves-its-artifacts']);
    const folder = join(failures, 'a-page-under-test-fails-and-leaves-its-artifacts');
    expect(existsSync(join(folder, 'page-1.png'))).toBe(true);
    expect(readFileSync(join(folder, 'console.log'), 'utf8')).toContain('log: hello from the page');
    expect(readFileSync(join(folder, 'network.log'), 'utf8')).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/missing → 404/);
  });
});
