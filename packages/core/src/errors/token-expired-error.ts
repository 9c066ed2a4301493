import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The access token has expired (the flow that raises it says what to do, in `advice`).
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'token_expired')) startAuthorizationAgain();
 * ```
 */
export class TokenExpiredError extends GrantKitError {
  override name = 'TokenExpiredError' as const;
  /** When the token expired, in epoch milliseconds. */
  readonly expiredAt: number | undefined;

  constructor(expiredAt: number | undefined, options?: GrantKitErrorOptions & { advice?: string | undefined }) {
    super('token_expired', messages.tokenExpired(expiredAt, options?.advice), options);
    this.expiredAt = expiredAt;
  }
}
