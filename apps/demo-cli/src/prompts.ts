import { isCancel, password, select, text } from '@clack/prompts';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** How to ask for a value that is missing, or why it cannot be asked for. */
export interface Ask {
  /** The prompt's question. */
  message: string;
  /** What to do instead when there is no terminal to ask on. */
  otherwise: string;
  /** Masks the input (passwords, client secrets). */
  hidden?: boolean;
}

function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

function answered(answer: string | symbol): string {
  if (isCancel(answer) || typeof answer !== 'string') throw new CliError('canceled', ExitCode.canceled, 'Canceled.');
  return answer;
}

/**
 * Asks on the terminal (on stderr, so stdout stays clean); refuses with a
 * usage error naming the alternative when stdin or stderr is not a terminal.
 */
export async function ask({ message, otherwise, hidden = false }: Ask): Promise<string> {
  if (!interactive()) throw new CliError('missing_input', ExitCode.usage, otherwise);
  const validate = (value: string | undefined) => (value ? undefined : 'Required.');
  const options = { message, validate, output: process.stderr };
  return answered(hidden ? await password(options) : await text(options));
}

/** What {@link choose} offers. */
export interface Choice extends Omit<Ask, 'hidden'> {
  choices: { value: string; hint?: string }[];
}

/** Lets the user pick one value on the terminal; refuses like {@link ask} without one. */
export async function choose({ message, otherwise, choices }: Choice): Promise<string> {
  if (!interactive()) throw new CliError('missing_input', ExitCode.usage, otherwise);
  return answered(await select({ message, options: choices, output: process.stderr }));
}
