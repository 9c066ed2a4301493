// `pnpm bench`: runs every benchmark in its own process, prints one table, and writes BENCHMARKS.md
// at the repository root. Needs the packages built (the root `pnpm bench` script builds them first).
//   pnpm bench                      pnpm --filter @grantkit/quality bench -- --quick   (fewer requests)
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

interface Section {
  title: string;
  rows: Record<string, string | number>[];
}

const quick = process.argv.includes('--quick');
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a bench script with the same loader (tsx) as this one. */
function runScript(file: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, [...process.execArgv, here(file), ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** The sections a bench script printed, one JSON line each. */
function collect(file: string, args: string[] = []): Section[] {
  console.error(`… ${file} ${args.join(' ')}`);
  const { status, stdout, stderr } = runScript(file, [...args, '--json']);
  const lines = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  if (status !== 0 || lines.length === 0) throw new Error(`bench/${file} failed (exit ${status}):\n${stderr}${stdout}`);
  return lines.map((line) => JSON.parse(line) as Section);
}

const loadBefore = loadavg()[0] ?? 0;
const started = new Date();
const sections = [
  ...collect('bearer-throughput.ts', quick ? ['--requests', '2000', '--rounds', '1'] : []),
  ...collect('request-allocations.ts', quick ? ['--requests', '4000'] : []),
  ...collect('events-overhead.ts', quick ? ['--requests', '2000', '--rounds', '1'] : []),
  ...collect('cold-token-requests.ts'),
  // Needs redis-server on the PATH (Debian: apt-get install redis-server).
  ...collect('fleet-cold-start.ts', quick ? ['--requests', '2000', '--rounds', '5'] : []),
  ...collect('bundle-sizes.ts'),
  ...collect('size-ablation.ts'),
  ...collect('import-time.ts', quick ? ['--starts', '20'] : []),
];

// The flow packages' own benchmark scripts, when present: their output goes into the file as they print it.
const packageScripts: [string, string[]][] = [
  [
    'smartconnect-throughput.ts',
    quick ? ['--requests', '2000', '--rounds', '1'] : ['--requests', '10000', '--rounds', '3'],
  ],
  ['smithcart-bundle-size.ts', []],
];
const extra: { file: string; status: number | null; output: string }[] = [];
for (const [file, args] of packageScripts) {
  if (!existsSync(here(file))) continue;
  console.error(`… ${file} ${args.join(' ')}`);
  const { status, stdout, stderr } = runScript(file, args);
  extra.push({ file, status, output: `${stdout}${stderr}`.trim() });
}

function markdownTable(rows: readonly Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number | undefined) =>
    typeof value === 'number' ? value.toLocaleString('en') : String(value ?? '').replace(/\|/g, '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map((column) => (rows.every((row) => typeof row[column] === 'number') ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
  ].join('\n');
}

// One table: every figure of every section, one row per subject.
const combined = sections.flatMap((section) =>
  section.rows.map((row) => {
    const [subject, ...figures] = Object.entries(row);
    return {
      benchmark: section.title.replace(/ \(.*$/, ''),
      subject: String(subject?.[1] ?? ''),
      figures: figures
        .map(([name, value]) =>
          typeof value === 'number' ? `${value.toLocaleString('en')} ${name}` : `${name} ${value}`,
        )
        .join(', '),
    };
  }),
);

const cpu = cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()} ${arch()}`;
const lines = [
  '# grantkit benchmarks',
  '',
  `Measured ${started.toISOString().replace(/\.\d+Z$/, 'Z')} with Node ${process.version} on ${machine}`,
  `(load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after${quick ? '; quick mode' : ''}).`,
  'The machine is shared and noisy: compare figures taken in the same run, not across runs.',
  '',
  markdownTable(combined),
  '',
  ...sections.flatMap((section) => [`## ${section.title}`, '', markdownTable(section.rows), '']),
  '## How to re-run',
  '',
  '```sh',
  'npm install -g pnpm@10.34.9 && pnpm install   # once, from a clean clone',
  'pnpm bench      # builds the packages, runs quality/bench/run.ts, rewrites this file',
  'pnpm size       # the CI size check against quality/size-budget.json',
  '```',
  '',
  'Single benchmarks: `cd quality && pnpm exec tsx bench/<name>.ts` (`bearer-throughput`, `request-allocations`,',
  '`events-overhead`, `cold-token-requests`, `fleet-cold-start`, `bundle-sizes`, `size-ablation`, `import-time`).',
  'The fleet cold start forks its processes and, once all are connected, times from the first call to the last',
  'answer; it needs `redis-server` on the PATH. Throughput runs against a bare `node:http` server in a child',
  "process on 127.0.0.1 so the client CPU (`process.cpuUsage`) is the client's own; contenders alternate order each",
  "round and the ratio to ky is the median of per-round ratios. Allocations are counted by V8's sampling heap",
  'profiler (collected objects included) over the same GET answered by an in-process `fetch`: unlike CPU time, they',
  'do not vary with the load of the machine. The events overhead compares, in-process, two esbuild bundles of the',
  "same sources that differ only by the events (core's `events/publish.ts` replaced by no-ops in one: grantkit",
  'before it had events), nobody listening, a `subscribe()` listener, and `@grantkit/opentelemetry` with the SDK;',
  "many short rounds, each contender's run paired with the baseline's. Bundles are built from the packages' `dist`",
  'with esbuild (platform browser, ESM, minified) and gzipped at level 9. The size ablation builds the two bundles',
  'that are over their issue #22 budget again, with one behaviour at a time replaced by a stub, to show what each',
  'one costs. Import times are the time of `await import(…)` measured inside a fresh Node process, the median of 11',
  'cold starts, beside ky and valibot.',
  '',
  ...extra.flatMap(({ file, status, output }) => [
    `## quality/bench/${file}${status === 0 ? '' : ` (exit ${status})`}`,
    '',
    '```text',
    output,
    '```',
    '',
  ]),
];
writeFileSync(`${root}BENCHMARKS.md`, `${lines.join('\n').trimEnd()}\n`);
// The repository lints markdown with Biome: format the file the way `biome check` wants it.
const biome = spawnSync(`${root}node_modules/.bin/biome`, ['format', '--write', 'BENCHMARKS.md'], {
  cwd: root,
  encoding: 'utf8',
});
if (biome.status !== 0) console.error(`Could not format BENCHMARKS.md with Biome:\n${biome.stderr}`);

console.log(`\n${markdownTable(combined)}\n`);
for (const { file, status, output } of extra) console.log(`\n--- bench/${file} (exit ${status}) ---\n${output}`);
console.log(`\nWrote ${root}BENCHMARKS.md`);
