import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const quote = (argument: string) => `'${argument.replaceAll("'", "'\\''")}'`;

/** A CLI run on a pseudo-terminal, as a person runs it. */
export interface TerminalRun {
  /** Types on the terminal (`'\u0003'` is Ctrl-C). */
  type(keys: string): void;
  /** Resolves once the screen shows `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  done: Promise<{ code: number | null; screen: string }>;
}

/**
 * Runs `node dist/cli.js …` on a pseudo-terminal through util-linux `script`,
 * so that stdin, stdout and stderr are a terminal: what the CLI does there
 * (spinners, raw mode, Ctrl-C as a key) is what a person gets.
 */
export function runInTerminal(args: readonly string[], home: string, env: Record<string, string> = {}): TerminalRun {
  const command = ['exec', process.execPath, cliPath, ...args].map(quote).join(' ');
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      GRANTKIT_DEMO_HOME: home,
      SHELL: '/bin/sh',
      TERM: 'xterm',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(screen)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const done = new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, screen }));
  });
  return {
    type: (keys) => child.stdin.write(keys),
    waitFor(pattern) {
      if (pattern.test(screen)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then(({ code }) => reject(new Error(`The CLI exited (${code}) before showing ${pattern}:\n${screen}`)));
      });
    },
    done,
  };
}
