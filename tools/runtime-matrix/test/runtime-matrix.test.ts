import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MatrixReport, SCENARIO_NAMES } from '../src/scenario-names.js';
import { bundleScenarios } from './bundle-scenarios.js';
import { RUNTIMES } from './runtimes.js';
import { type ServedMocks, serveMocks } from './serve-mocks.js';

const RUNTIME_MS = 180_000;

/** The runtime → version rows of a package README's "Runs on" table. */
function runsOn(name: string): Map<string, string> {
  const readme = readFileSync(new URL(`../../../packages/${name}/README.md`, import.meta.url), 'utf8');
  const table = readme.split('## Runs on')[1]?.split('\n## ')[0] ?? '';
  const rows = table.split('\n').filter((line) => line.startsWith('|'));
  return new Map(
    rows
      .map((row) => row.split('|').map((cell) => cell.trim()))
      .map(([, runtime, version]) => [runtime ?? '', version ?? '']),
  );
}
const README_TABLES = ['core', 'smartconnect', 'smithcart'].map((name) => ({ name, rows: runsOn(name) }));

beforeAll(bundleScenarios, 60_000);

describe.each(RUNTIMES)('on $name', (runtime) => {
  let mocks: ServedMocks;
  let report: MatrixReport;
  beforeAll(async () => {
    mocks = await serveMocks();
    report = await runtime.run(mocks, SCENARIO_NAMES);
  }, RUNTIME_MS);
  afterAll(() => mocks?.close());

  it.each(SCENARIO_NAMES)('%s', (name) => {
    expect(report[name]).toEqual({ ok: true });
  });

  it('is the version that the "Runs on" table of each package README names', async () => {
    const version = await runtime.version();
    for (const { name, rows } of README_TABLES) expect([name, rows.get(runtime.name)]).toEqual([name, version]);
  });
});
