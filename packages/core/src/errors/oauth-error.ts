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

const hints: Record<string, string> = {
  invalid_grant: 'The authorization grant or the credentials were refused.',
  invalid_client: 'Check the client id and client secret of your application registration.',
  unauthorized_client: 'This client is not allowed to use this grant; check its registration.',
  unsupported_grant_type: 'The server does not accept this grant type.',
  invalid_request: 'A required parameter was missing or malformed.',
  invalid_scope: 'Request only scopes the provider knows and allows for this client.',
  access_denied: 'The user or the server refused the authorization.',
  server_error: 'The authorization server failed; try again later.',
  temporarily_unavailable: 'The authorization server is overloaded or down; try again later.',
};

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
    const description = details.errorDescription ? ` (${details.errorDescription})` : '';
    // Own keys only: a code such as "constructor" must not pick up Object.prototype's members.
    const hint =
      details.advice ??
      (Object.hasOwn(hints, details.error)
        ? hints[details.error]
        : 'See the provider documentation for this error code.');
    super('oauth_error', `The provider answered "${details.error}"${description}. ${hint}`, options);
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.errorUri = details.errorUri;
    this.status = details.status;
  }
}
