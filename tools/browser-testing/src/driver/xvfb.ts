import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A virtual X display of its own (Debian's `xvfb`), for a browser that has no headless mode. */
export interface VirtualDisplay {
  /** The value for `DISPLAY`, e.g. `:99`. */
  readonly display: string;
  stop(): Promise<void>;
}

/** Debian's Xvfb (package xvfb), or the one `XVFB_PATH` names. */
const xvfbPath = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/** Starts Xvfb on the first free display number (`-displayfd`), so suites running at once never collide. */
export async function startXvfb(): Promise<VirtualDisplay> {
  const xvfb: ChildProcess = spawn(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  // Taken at spawn, so that a second stop waits for the same exit, not forever (or settles if it never started).
  const exited = once(xvfb, 'exit').catch(() => undefined);
  let stderr = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const number = await new Promise<string>((resolve, reject) => {
    let output = '';
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    xvfb.once('error', (error) =>
      reject(new Error(`Xvfb did not start (\`pnpm test\` installs xvfb): ${error.message}`)),
    );
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${stderr.trim()}`)));
  });
  return {
    display: `:${number}`,
    async stop() {
      xvfb.kill();
      await exited;
    },
  };
}
