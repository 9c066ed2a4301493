import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BANNER = 'Press Ctrl+C to stop.';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs the README's `pnpm demo` in a process group of its own, as a terminal
 * would, and sends SIGINT to the whole group (what Ctrl+C does) once the
 * banner is out.
 */
function runAndInterrupt(): Promise<Run> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TURBO_|npm_|PNPM_)/i.test(name) && name !== 'NODE_OPTIONS'),
  );
  // A terminal's PATH: without the node_modules/.bin folders that `pnpm test` puts first (their `node` is a shell wrapper).
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((folder) => !folder.includes('/node_modules/'))
    .join(':');
  const child = spawn('pnpm', ['demo'], {
    cwd: root,
    env: { ...env, PATH: path, PORT: '0', FORCE_COLOR: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let interrupted = false;
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (!interrupted && output.includes(BANNER)) {
      interrupted = true;
      process.kill(-(child.pid as number), 'SIGINT');
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('pnpm demo', () => {
  describe('stopped with Ctrl+C (SIGINT to the terminal’s process group)', () => {
    it('ends with the server’s own message and exit code 0, and no pnpm error', async () => {
      const run = await runAndInterrupt();
      expect(run.output).toContain(BANNER);
      expect(run.output).toMatch(/Stopping the demo…\nStopped\.\n$/);
      expect(run.output).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/);
      expect(run).toMatchObject({ code: 0, signal: null });
    }, 180_000);
  });
});
