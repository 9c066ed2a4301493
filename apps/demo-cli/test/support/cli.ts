import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** How a finished CLI run ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI run still in progress. */
export interface RunningCli {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match of `pattern` in stderr. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** A private home directory for one test's sessions.json. */
export async function makeHome(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'grantkit-demo-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Starts `node dist/cli.js …` with a clean environment: only PATH, the home
 * directory and `env`, so nothing from the developer's shell (a real
 * SMARTCONNECT_PASSWORD, jest's NODE_OPTIONS) leaks in.
 */
export function startCli(args: readonly string[], home: string, env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, GRANTKIT_DEMO_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of [...waiters]) {
      const match = stderr.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStderr(pattern) {
      const match = stderr.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then(
          (result) =>
            reject(new Error(`The CLI exited (${result.code}) before printing ${pattern}:\n${result.stderr}`)),
          reject,
        );
      });
    },
    done,
  };
}

/** Runs the CLI to the end. */
export function runCli(args: readonly string[], home: string, env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, home, env).done;
}
