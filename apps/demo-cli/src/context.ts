import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { homeDir } from './home-dir.js';
import { Output } from './output.js';
import { SessionFile } from './session-file.js';

/** The options every command accepts, wherever they stand on the command line. */
export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  mock?: boolean;
}

/** What a command runs with: its output, its settings, and what to clean up when it ends. */
export class CommandContext {
  readonly output: Output;
  readonly mock: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly sessions: SessionFile;
  /** Aborted by Ctrl-C, with a `canceled` CliError as its reason; pass it to every request. */
  readonly signal: AbortSignal;
  readonly #cleanups: (() => Promise<void>)[] = [];

  constructor(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env) {
    this.output = new Output(options.json === true);
    this.env = env;
    this.mock = options.mock === true || env.GRANTKIT_DEMO_MOCK === '1' || env.GRANTKIT_DEMO_MOCK === 'true';
    this.sessions = new SessionFile(homeDir(env));
    // The first Ctrl-C cancels the command so that it can close what it opened; a second one quits at once.
    const controller = new AbortController();
    this.signal = controller.signal;
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(ExitCode.canceled);
      controller.abort(new CliError('canceled', ExitCode.canceled, 'Canceled.'));
    };
    process.on('SIGINT', onSigint);
    this.defer(async () => {
      process.off('SIGINT', onSigint);
    });
  }

  /** A promise that rejects when the command is canceled, for racing against a wait. */
  cancellation(): Promise<never> {
    const canceled = new Promise<never>((_, reject) => {
      if (this.signal.aborted) reject(this.signal.reason);
      this.signal.addEventListener('abort', () => reject(this.signal.reason), { once: true });
    });
    canceled.catch(() => undefined);
    return canceled;
  }

  /** A non-empty environment variable, or `undefined`. */
  envValue(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Runs `cleanup` when the command ends, whatever the outcome (last registered, first run). */
  defer(cleanup: () => Promise<void>): void {
    this.#cleanups.unshift(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) await cleanup().catch(() => undefined);
  }
}

/** A usage error (exit 2) for a bad option value. */
export function usageError(message: string): CliError {
  return new CliError('usage', ExitCode.usage, message);
}
