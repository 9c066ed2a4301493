// The production build of `#messages` (see messages.ts): no message text, so `GrantKitError` gives the short form.
const none = (): undefined => undefined;

export {
  none as oauthError,
  none as httpError,
  none as invalidResponse,
  none as stateMismatch,
  none as networkError,
  none as timeout,
  none as tokenExpired,
  none as insufficientScope,
  none as popupBlocked,
  none as popupClosed,
  none as urlNotAbsolute,
  none as urlHasCredentials,
  none as urlNotSecure,
  none as accessTokenValue,
  none as accessTokenExpiresAt,
  none as storedTokenMalformed,
  none as scopeNotToken,
  none as scopeDefinitionInvalid,
  none as scopeListInvalid,
  none as scopeUnknown,
  none as tokenResponseInvalid,
};
