import {
  GrantKitError,
  type GrantKitErrorCode,
  isGrantKitError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  TimeoutError,
} from '@grantkit/core';
import * as messages from '#messages';

/** A failed authorization as another tab receives it: plain data, never a token. */
export interface SharedFailure {
  code: GrantKitErrorCode;
  message: string;
  /** The RFC 6749 `error` of an `OAuthError`. */
  error?: string | undefined;
  errorDescription?: string | undefined;
}

/** The failure of this tab's authorization as data for the others; `undefined` for an unexpected error. */
export function shareFailure(error: unknown): SharedFailure | undefined {
  if (!isGrantKitError(error)) return undefined;
  if (isGrantKitError(error, 'oauth_error')) {
    return { code: error.code, message: error.message, error: error.error, errorDescription: error.errorDescription };
  }
  return { code: error.code, message: error.message };
}

/** The error a waiting tab throws for another tab's failed authorization: the same class where it can be rebuilt. */
export function rebuildFailure(failure: SharedFailure): GrantKitError {
  switch (failure.code) {
    case 'oauth_error':
      return new OAuthError({ error: failure.error ?? 'server_error', errorDescription: failure.errorDescription });
    case 'popup_closed':
      return new PopupClosedError();
    case 'popup_blocked':
      return new PopupBlockedError();
    case 'timeout':
      return new TimeoutError(messages.authorizationInAnotherTab, undefined);
    default:
      return new GrantKitError(failure.code, failure.message);
  }
}

/** Whether `value` is a {@link SharedFailure} (it comes from another tab: checked, not trusted). */
export function isSharedFailure(value: unknown): value is SharedFailure {
  const failure = value as SharedFailure | null;
  return (
    typeof failure === 'object' &&
    failure !== null &&
    typeof failure.code === 'string' &&
    typeof failure.message === 'string' &&
    (failure.error === undefined || typeof failure.error === 'string') &&
    (failure.errorDescription === undefined || typeof failure.errorDescription === 'string')
  );
}
