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

  constructor(target: string, options?: GrantKitErrorOptions) {
    super('network_error', `Could not reach ${target}. Check the URL and your network connection.`, options);
  }
}
