import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The request never got an answer: DNS, refused or reset connection, TLS failure.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'network_error')) showOfflineBanner();
 * ```
 */
export class NetworkError extends GrantKitError {
  override name = 'NetworkError' as const;

  constructor(target: string | undefined, options?: GrantKitErrorOptions) {
    super('network_error', messages.networkError(target), options);
  }
}
