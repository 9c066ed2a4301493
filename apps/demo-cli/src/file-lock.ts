import { open, readFile, rm } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

const WAIT_MS = 10_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock whose holder has died (a crash, a second Ctrl-C) is stale. */
async function isStale(path: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 && !isRunning(pid);
}

async function acquire(path: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        'file_locked',
        ExitCode.unexpected,
        `${path} has been held by another grantkit-demo command for ${WAIT_MS / 1000} s; try again, or delete it if no other command is running.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
}

/**
 * Runs `action` while holding the exclusive lock file `path` (created with
 * O_EXCL, holding the holder's pid), so that commands running at the same time
 * take turns. Other commands wait up to 10 s; a lock left by a dead process is
 * taken over.
 */
export async function withFileLock<T>(path: string, action: () => Promise<T>): Promise<T> {
  await acquire(path);
  try {
    return await action();
  } finally {
    await rm(path, { force: true });
  }
}
