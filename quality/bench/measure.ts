// Small helpers shared by the benchmark scripts.
import { fork } from 'node:child_process';

/** The median of `values` (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Throughput and client CPU of one run. */
export interface Sample {
  rps: number;
  cpuUsPerRequest: number;
}

/** Sends `requests` calls, `concurrency` at a time, measuring wall time and this process's CPU. */
export async function drive(call: () => Promise<unknown>, requests: number, concurrency: number): Promise<Sample> {
  let started = 0;
  const worker = async () => {
    while (started < requests) {
      started += 1;
      await call();
    }
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  return { rps: requests / seconds, cpuUsPerRequest: (used.user + used.system) / requests };
}

/** Starts a bench helper script in a child process (same loader as this one) and waits for the URL it sends. */
export async function startChild(script: string): Promise<{ url: string; stop: () => void }> {
  const child = fork(script, ['--serve'], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The server process exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** Prints `rows` as a table, or as one JSON line with `--json` (how bench/run.ts collects them). */
export function report(title: string, rows: readonly Record<string, string | number>[]): void {
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ title, rows }));
    return;
  }
  console.log(`\n${title}`);
  console.table(rows);
}

/** A `--name value` option of the command line, as a number. */
export function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
