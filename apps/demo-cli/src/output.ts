import { startSpinner } from './spinner.js';
import { terminalText } from './terminal-text.js';

/** A long step the user waits for: a spinner on a terminal, one status line otherwise, nothing with `--json`. */
export interface Progress {
  update(message: string): void;
  succeed(message: string): void;
  fail(message: string): void;
}

/**
 * Where a command writes. Results go to stdout (human text, or one JSON
 * document with `--json`); prompts, progress and notices go to stderr, so
 * `--json` output can be piped as it is. Human output passes through
 * {@link terminalText}, since it may carry provider strings; JSON is exact.
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
    this.#stdout.write(this.json ? `${JSON.stringify(data)}\n` : `${terminalText(human)}\n`);
  }

  /** A notice for people (stderr), shown in both modes. */
  notice(line: string): void {
    this.#stderr.write(`${terminalText(line)}\n`);
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
    const spin = startSpinner(this.#stderr, terminalText(message));
    return {
      update: (text) => spin.update(terminalText(text)),
      succeed: (text) => spin.stop(`✔ ${terminalText(text)}`),
      fail: (text) => spin.stop(`✖ ${terminalText(text)}`),
    };
  }
}
