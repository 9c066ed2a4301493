#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CommandContext } from './context.js';
import { reportError } from './error-report.js';
import { ExitCode } from './exit-codes.js';
import { createProgram, globalOptions } from './program.js';
import { terminalText } from './terminal-text.js';

// A reader that stops early (`| head -1`) closes the pipe: stop there, quietly, rather than with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

let debug = process.argv.includes('--debug');
let json = process.argv.includes('--json');

function fail(error: unknown): void {
  const report = reportError(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: report.json })}\n`);
  else process.stderr.write(`Error: ${terminalText(report.message)}\n`);
  // grantkit's errors are secret-free in their stack too; others are shown only on request.
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${terminalText(error.stack)}\n`);
  process.exitCode = report.exitCode;
}

const program = createProgram(async (command, action) => {
  const options = globalOptions(command);
  debug = options.debug === true;
  json = options.json === true;
  const context = new CommandContext(options);
  try {
    await action(context);
  } catch (error) {
    // Whatever a canceled request turned into on its way up, the user pressed Ctrl-C.
    throw context.signal.aborted ? context.signal.reason : error;
  } finally {
    await context.close();
  }
});

// `pnpm start -- login …` passes the `--` along; it would turn every later option into an operand.
const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;

try {
  await program.parseAsync(argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the help or the usage error.
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    fail(error);
  }
}
