import { isGrantKitError } from '@grantkit/core';
import { errorSummary } from '../error-summary.js';

/** What the user was doing when an error happened, for scope messages. */
export type Action = { label: string; scope: string };

/** The sentence shown for an error of the SmithCart flow; grantkit's errors never carry a token. */
export function errorMessage(error: unknown, action?: Action): string {
  if (isGrantKitError(error, 'state_mismatch')) {
    return 'The answer from SmithCart did not match the request this tab started (state mismatch), so its token was discarded. Start again with Connect.';
  }
  if (isGrantKitError(error, 'oauth_error')) {
    if (error.error === 'access_denied') {
      return 'You denied access on the SmithCart consent page (access_denied). Nothing was stored; connect again whenever you like.';
    }
    return `SmithCart refused the authorization (${error.error}). ${error.errorDescription ?? ''}`.trim();
  }
  if (isGrantKitError(error, 'token_expired')) {
    return 'Your SmithCart token has expired. The implicit grant has no refresh token: connect again.';
  }
  if (isGrantKitError(error, 'insufficient_scope')) {
    const scope = action?.scope ?? error.required ?? 'another';
    const what = action?.label ?? 'This request';
    return `${what} needs the "${scope}" scope, which was not granted. Connect again and keep "${scope}" ticked.`;
  }
  if (isGrantKitError(error, 'http_error') && error.status === 401) {
    return 'SmithCart no longer accepts this token (expired or revoked). Connect again.';
  }
  if (isGrantKitError(error, 'network_error') || isGrantKitError(error, 'timeout')) {
    return 'SmithCart could not be reached. Check that the provider is running, then retry.';
  }
  if (isGrantKitError(error)) return error.message;
  return 'Something went wrong; see the browser console.';
}

/**
 * Logs to the console an error that {@link errorMessage} can only point to the
 * console for (one that is not grantkit's): what failed, the page's path (never
 * its URL: the callback's fragment holds the token) and {@link errorSummary}.
 */
export function reportUnexpected(error: unknown, what: string, path: string): void {
  if (!isGrantKitError(error)) console.error(`${what} failed unexpectedly on ${path}: ${errorSummary(error)}`);
}
