// Cold import time of each package's built entry point: the median of many `node -e "import(…)"`
// starts minus the median of as many empty starts.
//   pnpm turbo run build --filter @grantkit/quality^... && pnpm exec tsx bench/import-time.ts [--starts 25]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, numberOption, report } from './measure.js';

const starts = Math.max(20, numberOption('starts', 25));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['@grantkit/core', '@grantkit/smartconnect', '@grantkit/smithcart'];

function startMs(code: string): number {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['-e', code], { cwd, stdio: 'ignore', env: { PATH: process.env.PATH } });
  if (child.status !== 0) throw new Error(`node -e ${JSON.stringify(code)} failed; build the packages first.`);
  return performance.now() - t0;
}

const samples = new Map<string, number[]>([
  ['(empty start)', []],
  ...PACKAGES.map((name) => [name, []] as [string, number[]]),
]);
for (let i = 0; i < starts; i += 1) {
  // Interleaved, so that a busy moment of the machine hits every package alike.
  samples.get('(empty start)')?.push(startMs(''));
  for (const name of PACKAGES) samples.get(name)?.push(startMs(`import(${JSON.stringify(name)})`));
}
const empty = median(samples.get('(empty start)') ?? []);
report(
  `Cold import of the built packages (median of ${starts} node starts, minus an empty start of ${empty.toFixed(0)} ms)`,
  PACKAGES.map((name) => {
    const total = median(samples.get(name) ?? []);
    return {
      package: name,
      'import ms': Number((total - empty).toFixed(1)),
      'start+import ms': Number(total.toFixed(1)),
    };
  }),
);
