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

/**
 * The root of every error grantkit throws. Each subclass has a literal `name`
 * and a stable `code`; its message says what to do next, and no part of it
 * (message, fields, `cause`, stack, JSON) holds a password, a client secret
 * or an access token.
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

  constructor(code: GrantKitErrorCode, message: string, options?: GrantKitErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** A plain, secret-free view for logs: `JSON.stringify(error)` uses it. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'name' && key !== 'code') fields[key] = value;
    }
    return fields;
  }
}
