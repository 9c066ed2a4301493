import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The `state` of an authorization callback is missing, unknown, expired, reused
 * or different. The token that came with it was discarded.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'state_mismatch')) showMessage('That sign-in link was stale; connect again.');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export class StateMismatchError extends GrantKitError {
  override name = 'StateMismatchError' as const;

  constructor(reason: string | undefined, options?: GrantKitErrorOptions) {
    super('state_mismatch', messages.stateMismatch(reason), options);
  }
}
