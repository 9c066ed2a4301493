import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CliError } from './cli-error.js';
import { PrivateJsonFile } from './private-json-file.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'private-json-file-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('PrivateJsonFile', () => {
  describe('write', () => {
    it('creates missing directories 0700 and the file 0600, even under a permissive umask', async () => {
      const file = new PrivateJsonFile(join(directory, 'a', 'b', 'sessions.json'));
      const previous = process.umask(0o000);
      try {
        await file.update(() => ({ answer: 42 }));
      } finally {
        process.umask(previous);
      }

      expect((await stat(file.path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(directory, 'a', 'b'))).mode & 0o777).toBe(0o700);
      expect(await file.read()).toEqual({ answer: 42 });
    });

    it('replaces the file whole and leaves no temporary file behind', async () => {
      const file = new PrivateJsonFile(join(directory, 'sessions.json'));
      await file.update(() => ({ version: 1 }));
      await file.update(() => ({ version: 2 }));

      expect(JSON.parse(await readFile(file.path, 'utf8'))).toEqual({ version: 2 });
      expect(await readdir(directory)).toEqual(['sessions.json']);
    });
  });

  describe('read', () => {
    it('returns undefined when the file does not exist', async () => {
      expect(await new PrivateJsonFile(join(directory, 'none.json')).read()).toBeUndefined();
    });

    it('throws a CliError that says to delete the file when it is not JSON', async () => {
      const path = join(directory, 'sessions.json');
      await writeFile(path, '{"tokens": ');

      const failure = new PrivateJsonFile(path).read();

      await expect(failure).rejects.toBeInstanceOf(CliError);
      await expect(failure).rejects.toThrow(`${path} is not valid JSON; delete it`);
    });
  });
});
