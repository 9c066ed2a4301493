import { type GrantKitError, isGrantKitError } from '@grantkit/core';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** What the command line shows for a failure: one line for people, one object for scripts. */
export interface ErrorReport {
  exitCode: ExitCode;
  /** The one-line message, hint included. */
  message: string;
  /** The secret-free JSON form for `--json`. */
  json: Record<string, unknown>;
}

function exitCodeOf(error: GrantKitError): ExitCode {
  if (isGrantKitError(error, 'http_error')) {
    return error.status === 401 || error.status === 403 ? ExitCode.authentication : ExitCode.provider;
  }
  switch (error.code) {
    case 'oauth_error':
    case 'token_expired':
    case 'insufficient_scope':
      return ExitCode.authentication;
    case 'network_error':
    case 'timeout':
      return ExitCode.network;
    case 'state_mismatch':
      return ExitCode.stateMismatch;
    case 'configuration_error':
      return ExitCode.usage;
    default:
      return ExitCode.provider;
  }
}

interface SystemError extends Error {
  code: string;
  syscall: string;
  path?: string;
}

// A failed file or socket call from Node: its fields are names and paths, never secrets.
function isSystemError(error: unknown): error is SystemError {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as Partial<SystemError>;
  return typeof code === 'string' && typeof syscall === 'string';
}

/** The library speaks to developers ("ask the user to try again"); here the person at the terminal is the user. */
function messageOf(error: GrantKitError): string {
  if (isGrantKitError(error, 'oauth_error') && error.error === 'access_denied') {
    return 'Access was not granted (access_denied): the authorization was declined on the consent page, so nothing was saved. Run the login again and choose Approve to sign in.';
  }
  return oneLine(error.message);
}

/** What to do about a failed system call: the file hint for files, another for sockets. */
function systemHint(error: SystemError): string {
  if (error.code === 'EADDRINUSE') {
    return 'Another program already listens on that address; stop it, or choose another port (with PORT where a command takes one).';
  }
  if (['listen', 'bind', 'connect'].includes(error.syscall)) return 'Check the network settings and try again.';
  return 'Check its permissions, or point GRANTKIT_DEMO_HOME at a writable directory.';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Turns anything thrown into an exit status and a message. grantkit's errors
 * are secret-free by contract, so their message and `toJSON()` are shown as
 * they are; anything else is reported by class name only, because its
 * message is not known to be free of secrets.
 */
export function reportError(error: unknown): ErrorReport {
  if (isGrantKitError(error)) {
    const exitCode = exitCodeOf(error);
    const message = messageOf(error);
    return { exitCode, message, json: { ...error.toJSON(), message, exitCode } };
  }
  if (error instanceof CliError) {
    const message = oneLine(error.message);
    return {
      exitCode: error.exitCode,
      message,
      json: { name: error.name, code: error.code, message, exitCode: error.exitCode },
    };
  }
  if (isSystemError(error)) {
    const where = error.path ? ` ${error.path}` : '';
    const message = `Could not ${error.syscall}${where} (${error.code}). ${systemHint(error)}`;
    return {
      exitCode: ExitCode.unexpected,
      message,
      json: { name: 'SystemError', code: error.code, message, exitCode: ExitCode.unexpected },
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = `Unexpected ${name}; run again with --debug to see the details, and report it if it persists.`;
  return {
    exitCode: ExitCode.unexpected,
    message,
    json: { name, code: 'unexpected', message, exitCode: ExitCode.unexpected },
  };
}
