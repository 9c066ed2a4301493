import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/** Fields of an RFC 6749 error response. */
export interface OAuthErrorDetails {
  /**
   * The RFC 6749 error code, e.g. `invalid_grant` or `access_denied`.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2.1
   */
  error: string;
  errorDescription?: string | undefined;
  errorUri?: string | undefined;
  /** The HTTP status of the token endpoint's answer, when there was one. */
  status?: number | undefined;
  /** What to do next, in the words of the flow that raised it; replaces the neutral hint of the code. */
  advice?: string | undefined;
}

/**
 * The provider answered with an RFC 6749 error (token endpoint or authorization redirect).
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_grant') askForPasswordAgain();
 * ```
 */
export class OAuthError extends GrantKitError {
  override name = 'OAuthError' as const;
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
  readonly status: number | undefined;

  constructor(details: OAuthErrorDetails, options?: GrantKitErrorOptions) {
    super('oauth_error', messages.oauthError(details), options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = details.status;
  }
}
