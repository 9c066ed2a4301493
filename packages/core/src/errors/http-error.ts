import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/** Fields of an HTTP error answer, already stripped of secrets. */
export interface HttpErrorDetails {
  status: number;
  method: string;
  /** The request URL without credentials and with secret-looking query values redacted. */
  url: string;
  /** The parsed JSON body (or text) with secret-looking fields redacted. */
  body: unknown;
}

/**
 * The server answered with a status that is not a success.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'http_error') && error.status === 404) showNotFound();
 * ```
 */
export class HttpError extends GrantKitError {
  override name = 'HttpError' as const;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;

  constructor(details: HttpErrorDetails, options?: GrantKitErrorOptions) {
    super('http_error', messages.httpError(details), options);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.body = details.body;
  }
}
