import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import type { MatrixReport } from '../src/scenario-names.js';
import { OUT_DIR } from './bundle-scenarios.js';
import type { ServedMocks } from './serve-mocks.js';

const run = promisify(execFile);
const workspace = fileURLToPath(new URL('..', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url));

/** One runtime of the matrix: its row in the READMEs' "Runs on" tables, its version, and how to run scenarios. */
export interface Runtime {
  /** The runtime column of the "Runs on" tables. */
  name: string;
  /** The exact version, as the version column shows it. */
  version(): Promise<string>;
  run(mocks: ServedMocks, scenarios: readonly string[]): Promise<MatrixReport>;
}

function binary(path: string, from: string): string {
  if (!existsSync(path)) {
    throw new Error(`No binary at ${path}: it comes with ${from}, which pnpm installs on linux-x64 only.`);
  }
  return path;
}

/** The last line of a runtime's output is its report; anything before it is shown when it is not. */
function reportOf(stdout: string, stderr: string): MatrixReport {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as MatrixReport;
  } catch {
    throw new Error(`No report on the last line.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
}

interface ProcessRuntimeOptions {
  name: string;
  executable: () => string;
  /** The arguments before the bundle's path. */
  args: readonly string[];
  /** The bundle of src/entries/ that this runtime runs. */
  entry: string;
}

function processRuntime({ name, executable, args, entry }: ProcessRuntimeOptions): Runtime {
  return {
    name,
    // `v24.21.0`, `1.4.4`, `deno 2.9.6 (stable, …)`: the first version number.
    version: async () => /\d+\.\d+\.\d+/.exec((await run(executable(), ['--version'])).stdout)?.[0] ?? '?',
    async run(mocks, scenarios) {
      const config = JSON.stringify({
        smartconnectUrl: mocks.smartconnectUrl,
        smithcartUrl: mocks.smithcartUrl,
        closedUrl: mocks.closedUrl,
        scenarios,
      });
      const { stdout, stderr } = await run(executable(), [...args, `${OUT_DIR}/${entry}`, config], {
        cwd: workspace,
        timeout: 120_000,
        env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${name} failed: ${error.message}\nstdout:\n${error.stdout}\nstderr:\n${error.stderr}`);
      });
      return reportOf(stdout, stderr);
    },
  };
}

function workerdRuntime(name: string, entry: string, compatibilityFlags: string[]): Runtime {
  return {
    name,
    // The release of the workerd package that miniflare runs (its --version prints only a compatibility date).
    version: async () => {
      const fromMiniflare = createRequire(createRequire(`${workspace}package.json`).resolve('miniflare'));
      return (fromMiniflare('workerd/package.json') as { version: string }).version;
    },
    async run(mocks, scenarios) {
      const miniflare = new Miniflare({
        modules: true,
        scriptPath: `${OUT_DIR}/${entry}`,
        compatibilityDate: '2026-07-30',
        compatibilityFlags,
        bindings: {
          SMARTCONNECT_URL: mocks.smartconnectUrl,
          SMITHCART_URL: mocks.smithcartUrl,
          CLOSED_URL: mocks.closedUrl,
        },
      });
      try {
        const response = await miniflare.dispatchFetch('http://matrix.invalid/', {
          method: 'POST',
          body: JSON.stringify({ scenarios }),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${name} answered ${response.status}: ${text}`);
        return JSON.parse(text) as MatrixReport;
      } finally {
        await miniflare.dispose();
      }
    },
  };
}

export const RUNTIMES: readonly Runtime[] = [
  processRuntime({ name: 'Node.js 24', executable: () => process.execPath, args: [], entry: 'node.js' }),
  processRuntime({
    name: 'Node.js 22',
    executable: () => binary(`${repository}node_modules/node-22/bin/node`, 'the root optional dependency node-22'),
    args: [],
    entry: 'node.js',
  }),
  processRuntime({
    name: 'Bun',
    executable: () => binary(`${workspace}node_modules/@oven/bun-linux-x64/bin/bun`, '@oven/bun-linux-x64'),
    args: [],
    entry: 'bun.js',
  }),
  processRuntime({
    name: 'Deno',
    executable: () => binary(`${workspace}node_modules/@deno/linux-x64-glibc/deno`, '@deno/linux-x64-glibc'),
    // Loopback only: the scenarios need nothing else, and the sandbox proves it.
    args: ['run', '--allow-net=127.0.0.1'],
    entry: 'deno.js',
  }),
  workerdRuntime('workerd', 'worker.js', []),
  workerdRuntime('workerd + nodejs_compat', 'worker-nodejs-compat.js', ['nodejs_compat']),
];
