import { spinner } from '@clack/prompts';

/** A long step the user waits for: a spinner on a terminal, one status line otherwise, nothing with `--json`. */
export interface Progress {
  update(message: string): void;
  succeed(message: string): void;
  fail(message: string): void;
}

/**
 * Where a command writes. Results go to stdout (human text, or one JSON
 * document with `--json`); prompts, progress and notices go to stderr, so
 * `--json` output can be piped as it is.
 */
export class Output {
  readonly json: boolean;
  readonly #stdout: NodeJS.WritableStream;
  readonly #stderr: NodeJS.WriteStream;

  constructor(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr = process.stderr) {
    this.json = json;
    this.#stdout = stdout;
    this.#stderr = stderr;
  }

  /** The command's result: `human` lines, or `data` as JSON with `--json`. */
  result(human: string, data: unknown): void {
    this.#stdout.write(this.json ? `${JSON.stringify(data)}\n` : `${human}\n`);
  }

  /** A notice for people (stderr), shown in both modes. */
  notice(line: string): void {
    this.#stderr.write(`${line}\n`);
  }

  progress(message: string): Progress {
    if (this.json) return { update() {}, succeed() {}, fail() {} };
    if (!this.#stderr.isTTY) {
      this.notice(message);
      return {
        update: (text) => this.notice(text),
        succeed: (text) => this.notice(text),
        fail() {},
      };
    }
    const spin = spinner({ output: this.#stderr });
    spin.start(message);
    return {
      update: (text) => spin.message(text),
      succeed: (text) => spin.stop(text),
      fail: (text) => spin.error(text),
    };
  }
}
