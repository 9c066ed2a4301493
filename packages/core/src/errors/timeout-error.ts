import * as messages from '#messages';
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

  constructor(target: string | undefined, timeoutMs: number | undefined, options?: GrantKitErrorOptions) {
    super('timeout', messages.timeout(target, timeoutMs), options);
    this.timeoutMs = timeoutMs;
  }
}
