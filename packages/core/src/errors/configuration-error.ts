import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The options given to grantkit are wrong; the message says which and how to fix them.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('`clientId` is missing; pass the id of your application registration.');
 * ```
 */
export class ConfigurationError extends GrantKitError {
  override name = 'ConfigurationError' as const;

  constructor(message: string | undefined, options?: GrantKitErrorOptions) {
    super('configuration_error', message, options);
  }
}
