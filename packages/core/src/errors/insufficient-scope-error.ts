import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The granted scopes do not allow the request.
 *
 * @example
 * ```ts
 * throw new InsufficientScopeError({ required: 'create', granted: token.scope.toString() });
 * ```
 */
export class InsufficientScopeError extends GrantKitError {
  override name = 'InsufficientScopeError' as const;
  /** Scopes the request needs (space-separated), or `undefined` when the server did not say. */
  readonly required: string | undefined;
  /** Scopes the token carries (space-separated). */
  readonly granted: string;

  constructor(details: { required: string | undefined; granted: string }, options?: GrantKitErrorOptions) {
    super('insufficient_scope', messages.insufficientScope(details.required, details.granted), options);
    this.required = details.required;
    this.granted = details.granted;
  }
}
