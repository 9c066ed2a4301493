import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const jest = fileURLToPath(new URL('../../../node_modules/jest/bin/jest.js', import.meta.url));
const artifacts = mkdtempSync(join(tmpdir(), 'grantkit-e2e-driver-artifacts-'));
afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

describe('a suite on the browser-neutral driver, in each browser', () => {
  const run = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', jest, '--config', join(fixtures, 'driver.jest.config.js')],
    {
      cwd: fixtures,
      encoding: 'utf8',
      env: { ...process.env, ARTIFACTS_DIR: artifacts, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
      timeout: 240_000,
    },
  );
  const failures = join(artifacts, 'failures');

  it('ends red, with the failed test of each browser and only those', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Tests: +3 failed, 3 passed, 6 total/);
    expect(readdirSync(failures).sort()).toEqual([
      'in-chromium-a-page-fails-and-leaves-its-artifacts',
      'in-firefox-a-page-fails-and-leaves-its-artifacts',
      'in-webkit-a-page-fails-and-leaves-its-artifacts',
    ]);
  });

  it.each(['chromium', 'firefox', 'webkit'])('saves a screenshot of the page in %s', (name) => {
    expect(existsSync(join(failures, `in-${name}-a-page-fails-and-leaves-its-artifacts`, 'page-1.png'))).toBe(true);
  });

  it.each(['chromium', 'firefox'])('saves what the page logged in %s (WebDriver classic shows no console)', (name) => {
    const log = readFileSync(join(failures, `in-${name}-a-page-fails-and-leaves-its-artifacts`, 'console.log'), 'utf8');
    expect(log).toContain('hello from the page');
  });

  it.each(['chromium', 'firefox'])('says in the log where the page of %s was and what it logged', (name) => {
    const report = run.stderr.slice(run.stderr.indexOf(`e2e failure artifacts of "in ${name} a page fails`));
    expect(report).toMatch(/^[^\n]+\n {2}page 1: http:\/\/127\.0\.0\.1:\d+\/\n {2}console log: hello from the page\n/);
  });
});
