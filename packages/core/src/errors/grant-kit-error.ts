/** Stable codes of every error grantkit throws. */
export type GrantKitErrorCode =
  | 'oauth_error'
  | 'state_mismatch'
  | 'invalid_response'
  | 'http_error'
  | 'network_error'
  | 'timeout'
  | 'token_expired'
  | 'insufficient_scope'
  | 'configuration_error'
  | 'popup_blocked'
  | 'popup_closed';

/** Options every grantkit error accepts. */
export interface GrantKitErrorOptions {
  /** The underlying failure. Never a value that carries a secret. */
  cause?: unknown;
}

/** The page with a section per code; a production build's messages link to it. */
const ERRORS_PAGE = 'https://github.com/grantkit/grantkit/blob/main/docs/errors.md';

/**
 * The root of every error grantkit throws. Each subclass has a literal `name`
 * and a stable `code`; its message says what to do next, and no part of it
 * (message, fields, `cause`, stack, JSON) holds a password, a client secret
 * or an access token. Without a message (a bundle built with the `production`
 * condition leaves them out), it says `<code>: see <docs>#<code>`, a link to
 * that code's section of docs/errors.md.
 *
 * @example
 * ```ts
 * try {
 *   await api.get('orders.json').json();
 * } catch (error) {
 *   if (isGrantKitError(error, 'token_expired')) redirectToLogin();
 *   else throw error;
 * }
 * ```
 */
export class GrantKitError extends Error {
  override name = 'GrantKitError';
  readonly code: GrantKitErrorCode;

  constructor(code: GrantKitErrorCode, message: string | undefined, options?: GrantKitErrorOptions) {
    super(
      message ?? `${code}: see ${ERRORS_PAGE}#${code}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
  }

  /** A plain, secret-free view for logs: `JSON.stringify(error)` uses it. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    // The own enumerable fields: `name` and `code` keep their places, the subclass's fields come after them.
    return Object.assign(fields, this);
  }
}
