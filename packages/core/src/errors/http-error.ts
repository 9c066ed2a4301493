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

function hintFor(status: number): string {
  if (status >= 300 && status < 400)
    return 'The server redirected elsewhere; redirects that leave the API origin are not followed.';
  if (status === 401) return 'The credentials were refused; sign in again.';
  if (status === 403) return 'The token does not allow this request.';
  if (status === 404) return 'Check the path and the base URL.';
  if (status === 429) return 'Too many requests; wait before trying again.';
  if (status >= 500) return 'The server failed; try again later.';
  return 'Check the request against the API documentation.';
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
    super(
      'http_error',
      `${details.method} ${details.url} answered ${details.status}. ${hintFor(details.status)}`,
      options,
    );
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.body = details.body;
  }
}
