import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { withFileLock } from './file-lock.js';
import { assertPrivate } from './private-path.js';

/**
 * A JSON file readable by its owner only: the directory is created with mode
 * 0700 and the file is written with mode 0600, atomically (a temporary file in
 * the same directory, flushed, then renamed over the old one), so a crash never
 * leaves half a file and no other user can read it even for an instant.
 * The directory and the file are used only when they are the user's own
 * (see {@link assertPrivate}), and changes are made under an exclusive lock,
 * so commands running at the same time never lose each other's changes.
 */
export class PrivateJsonFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The parsed content, or `undefined` when the file does not exist. */
  async read(): Promise<unknown> {
    if (!(await assertPrivate(dirname(this.path), 'directory'))) return undefined;
    if (!(await assertPrivate(this.path, 'file'))) return undefined;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CliError(
        'corrupt_file',
        ExitCode.unexpected,
        `${this.path} is not valid JSON; delete it (you will have to sign in again).`,
      );
    }
  }

  /**
   * Reads the content, passes it to `change` and writes what it returns (or
   * deletes the file for `undefined`), all under the lock `<path>.lock`.
   */
  async update(change: (current: unknown) => unknown): Promise<void> {
    const directory = dirname(this.path);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await assertPrivate(directory, 'directory');
    await withFileLock(`${this.path}.lock`, async () => {
      const next = change(await this.read());
      if (next === undefined) await rm(this.path, { force: true });
      else await this.#write(next);
    });
  }

  async #write(value: unknown): Promise<void> {
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      // The umask may only remove bits; set the mode explicitly in case the file system ignores it at creation.
      await handle.chmod(0o600);
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
