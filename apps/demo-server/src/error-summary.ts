import { isGrantKitError } from '@grantkit/core';

// Only names shaped like an error class (`TypeError`, `AbortError`): any other text could be a secret.
const CLASS_LIKE_NAME = /^[A-Z][A-Za-z0-9]{0,47}(Error|Exception)$/;

/**
 * A secret-free summary of a failure for a log line: the error's `name` and,
 * for a grantkit error, its `code` (`OAuthError (oauth_error)`). Never the
 * message, fields or cause of an error that is not grantkit's: another
 * library's text can quote a password or a token.
 */
export function errorSummary(error: unknown): string {
  if (isGrantKitError(error)) return `${error.name} (${error.code})`;
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' && CLASS_LIKE_NAME.test(name)
    ? name
    : `unnamed ${error === null ? 'null' : typeof error}`;
}
