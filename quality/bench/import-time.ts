// Cold import time of each entry point, side by side with ky 2, valibot and oauth4webapi: in a fresh Node process each time,
// the time of `await import(…)` itself, measured inside that process; the median of 11 cold starts (or --starts).
//   pnpm turbo run build --filter @grantkit/quality^... && pnpm exec tsx bench/import-time.ts [--starts 11]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, numberOption, report } from './measure.js';

const starts = Math.max(11, numberOption('starts', 11));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = [
  '@grantkit/core',
  '@grantkit/core/bearer',
  '@grantkit/smartconnect',
  '@grantkit/smithcart',
  'ky',
  'valibot',
  'oauth4webapi',
];

/** One cold start: a new Node process that times its own `await import(name)`. */
function importMs(name: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(name)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  if (child.status !== 0) throw new Error(`importing ${name} failed; build the packages first.\n${child.stderr}`);
  return Number(child.stdout);
}

const samples = new Map<string, number[]>(ENTRIES.map((name) => [name, []]));
for (let i = 0; i < starts; i += 1) {
  // Interleaved, so that a busy moment of the machine hits every entry alike.
  for (const name of ENTRIES) samples.get(name)?.push(importMs(name));
}
report(
  `Cold import, in-process \`await import\` (median of ${starts} cold starts, Node ${process.version})`,
  ENTRIES.map((name) => ({ entry: name, 'import ms': Number(median(samples.get(name) ?? []).toFixed(1)) })),
);
