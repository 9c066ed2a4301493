import { lstat, stat } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

function refuse(path: string, why: string, fix: string): CliError {
  return new CliError(
    'untrusted_file',
    ExitCode.usage,
    `Refusing to use ${path}: ${why}, so someone else could plant a session there that sends your token or credentials elsewhere. ${fix}`,
  );
}

/**
 * Checks that `path` (the home directory, or `sessions.json` in it) is the
 * user's own: owned by them and not writable by the group or others; the file
 * must be a regular file (not a link). `false` when it does not exist. Skipped
 * where the platform has no user ids (Windows).
 */
export async function assertPrivate(path: string, kind: 'directory' | 'file'): Promise<boolean> {
  const uid = process.getuid?.();
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = kind === 'directory' ? await stat(path) : await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (kind === 'directory' ? !stats.isDirectory() : !stats.isFile()) {
    throw refuse(path, `it is not a ${kind === 'directory' ? 'directory' : 'regular file'}`, 'Remove it.');
  }
  if (uid === undefined) return true;
  const home = 'point GRANTKIT_DEMO_HOME at a directory of your own that only you can write to';
  if (stats.uid !== uid) throw refuse(path, `it belongs to another user (uid ${stats.uid})`, `Remove it, or ${home}.`);
  if ((stats.mode & 0o022) !== 0) {
    throw refuse(path, 'other users can write to it', `Run \`chmod go-w ${path}\`, or ${home}.`);
  }
  return true;
}
