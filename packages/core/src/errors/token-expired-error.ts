import { formatInstant } from '../format-instant.js';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The access token has expired and this grant cannot renew it by itself.
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

  constructor(expiredAt: number | undefined, options?: GrantKitErrorOptions) {
    const when = expiredAt === undefined ? '' : ` at ${formatInstant(expiredAt)}`;
    super('token_expired', `The access token expired${when}. Ask the user to authorize again.`, options);
    this.expiredAt = expiredAt;
  }
}
