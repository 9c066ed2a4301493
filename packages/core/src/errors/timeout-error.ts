import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The server did not answer within `timeoutMs`.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'timeout')) retryLater(error.timeoutMs);
 * ```
 */
export class TimeoutError extends GrantKitError {
  override name = 'TimeoutError' as const;
  readonly timeoutMs: number | undefined;

  constructor(target: string, timeoutMs: number | undefined, options?: GrantKitErrorOptions) {
    const after = timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`;
    super('timeout', `${target} did not answer${after}. Try again, or raise the \`timeout\` option.`, options);
    this.timeoutMs = timeoutMs;
  }
}
