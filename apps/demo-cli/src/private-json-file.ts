import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/**
 * A JSON file readable by its owner only: the directory is created with mode
 * 0700 and the file is written with mode 0600, atomically (a temporary file in
 * the same directory, flushed, then renamed over the old one), so a crash never
 * leaves half a file and no other user can read it even for an instant.
 */
export class PrivateJsonFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The parsed content, or `undefined` when the file does not exist. */
  async read(): Promise<unknown> {
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

  async write(value: unknown): Promise<void> {
    const directory = dirname(this.path);
    await mkdir(directory, { recursive: true, mode: 0o700 });
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

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
