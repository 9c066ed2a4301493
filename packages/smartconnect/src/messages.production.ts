// The production build of `#messages` (see messages.ts): no message text, so each error says its code and docs link.
const none = (): undefined => undefined;
const nothing = undefined;

export {
  none as credentialMissing,
  none as regionUnknown,
  none as targetMissing,
  none as optionNotNonNegative,
  none as oauthAdvice,
  nothing as runningInBrowser,
  nothing as credentialsMissing,
  nothing as regionAndBaseUrl,
  nothing as baseUrlNotUrl,
  nothing as baseUrlHasQuery,
  nothing as credentialsTwice,
  nothing as timeoutInvalid,
};
