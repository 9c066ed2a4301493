// The production build of `#messages` (see messages.ts): no message text, so each error says its code and docs link.
const none = (): undefined => undefined;
const nothing = undefined;

export {
  none as scopeUnknown,
  none as tooManyPending,
  none as pathSegmentInvalid,
  none as pathSegmentNotUnicode,
  nothing as redirectUriHasFragment,
  nothing as clientIdInvalid,
  nothing as stateInvalid,
  nothing as authorizePathOffBase,
  nothing as stateTtlInvalid,
  nothing as callbackMalformed,
  nothing as callbackWithoutState,
  nothing as callbackStateNotExpected,
  nothing as callbackStateUnknown,
  nothing as callbackStateExpired,
  nothing as callbackOtherRedirectUri,
  nothing as callbackRefusedAdvice,
  nothing as fragmentTokenInvalid,
  nothing as maxEntriesInvalid,
  nothing as sessionStorageRefused,
  nothing as popupTimeoutInvalid,
  nothing as popupNeedsWindow,
  nothing as consentPopup,
  nothing as sessionNeedsBroadcastChannel,
  nothing as authorizationInAnotherTab,
  nothing as sessionClosed,
};
