// The production build of `#messages` (see messages.ts): no message text, so each error says its code and docs link.
const none = (): undefined => undefined;
const nothing = undefined;

export {
  none as oauthError,
  none as httpError,
  none as invalidResponse,
  none as stateMismatch,
  none as networkError,
  none as timeout,
  none as tokenExpired,
  none as insufficientScope,
  none as urlNotAbsolute,
  none as urlHasCredentials,
  none as urlNotSecure,
  none as scopeNotToken,
  none as scopeDefinitionInvalid,
  none as scopeListInvalid,
  none as scopeUnknown,
  none as urlOffOrigin,
  none as answerTooLarge,
  none as answerNotJson,
  none as answerNotMatching,
  nothing as popupBlocked,
  nothing as popupClosed,
  nothing as accessTokenValue,
  nothing as accessTokenExpiresAt,
  nothing as storedTokenMalformed,
  nothing as tokenResponseInvalid,
  nothing as tokenNotToken,
};
