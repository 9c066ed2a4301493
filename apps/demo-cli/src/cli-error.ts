import type { ExitCode } from './exit-codes.js';

/** A failure of the command line itself (not of grantkit), with the exit status it maps to. */
export class CliError extends Error {
  override name = 'CliError' as const;
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.exitCode = exitCode;
  }
}
