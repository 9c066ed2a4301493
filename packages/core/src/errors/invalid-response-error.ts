import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/** One validation problem: where it is and what was expected. Never the value itself. */
export interface ResponseIssue {
  /** Dotted path of the offending field, `''` for the body as a whole. */
  path: string;
  message: string;
}

/**
 * The server's answer is not what the protocol (or the caller's schema) says it must be.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'invalid_response')) console.error(error.issues); // [{ path: 'expires_in', message: '…' }]
 * ```
 */
export class InvalidResponseError extends GrantKitError {
  override name = 'InvalidResponseError' as const;
  readonly status: number | undefined;
  readonly issues: readonly ResponseIssue[];

  constructor(
    summary: string | undefined,
    details: { status?: number | undefined; issues?: readonly ResponseIssue[] },
    options?: GrantKitErrorOptions,
  ) {
    const issues = details.issues ?? [];
    super('invalid_response', messages.invalidResponse(summary, issues), options);
    this.status = details.status;
    this.issues = issues;
  }
}
