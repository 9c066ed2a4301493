// The full "what to do next" messages of @grantkit/smithcart, imported from `#messages` (package.json `imports`).
// A bundle built with the `production` condition gets `messages.production.ts`, where every builder gives
// `undefined`, so the error says `<code>: see <docs>#<code>` instead (CONTRIBUTING.md, "Error messages").

/** A message, or `undefined` in a production build. */
type Message = string | undefined;

// authorize.ts
export const redirectUriHasFragment: Message =
  '`redirectUri` must not contain a fragment (RFC 6749 §3.1.2); remove the "#…" part.';
export const clientIdInvalid: Message = '`clientId` must be the non-empty client ID SmithCart gave your application.';
export const stateInvalid: Message =
  '`state` must be printable ASCII (RFC 6749 Appendix A.5); omit it to get a random one.';
export const authorizePathOffBase: Message = '`authorizePath` must be a path on `baseUrl`, such as /oauth2/authorize.';
export const stateTtlInvalid: Message =
  '`stateTtlMs` must be a positive number of milliseconds; omit it for 10 minutes.';

// callback.ts and fragment-token.ts
export const callbackMalformed: Message = 'The authorization callback is malformed';
export const callbackWithoutState: Message = 'it carries no state';
export const callbackStateNotExpected: Message = 'its state is not the expected one';
export const callbackStateUnknown: Message = 'its state is unknown or was already used';
export const callbackStateExpired: Message = 'its state has expired';
export const callbackOtherRedirectUri: Message = 'it reached another redirect URI than its state was issued for';
export const callbackRefusedAdvice: Message = 'Ask the user to authorize again.';
export const fragmentTokenInvalid: Message = 'The token response is not a valid OAuth 2.0 token response';

// scope-list.ts
export const scopeUnknown = (scope: string, known: readonly string[]): Message =>
  `Unknown scope ${/^[\x21-\x7E]+$/.test(scope) ? `"${scope}"` : 'with invalid characters'}. Known scopes: ${known.join(', ')}.`;

// the state stores
export const maxEntriesInvalid: Message = '`maxEntries` must be a positive number.';
export const tooManyPending = (maxEntries: number): Message =>
  `${maxEntries} authorizations are pending; retry later or raise \`maxEntries\`.`;
export const sessionStorageRefused: Message =
  'sessionStorage refused the authorization state; pass another `stateStore`.';

// user-path.ts
export const pathSegmentInvalid = (what: string): Message =>
  `${what} must be a non-empty path segment other than "." and ".."; pass names and IDs, not paths.`;
export const pathSegmentNotUnicode = (what: string): Message =>
  `${what} must be well-formed Unicode text (it holds a lone surrogate).`;

// session/
export const popupTimeoutInvalid: Message =
  '`timeout` must be a positive number of milliseconds; omit it for 5 minutes.';
export const popupNeedsWindow: Message =
  'authorizeInPopup runs in a browser window; elsewhere use createAuthorizationRequest.';
export const consentPopup: Message = 'The SmithCart consent popup';
export const sessionNeedsBroadcastChannel: Message =
  'createSmithCartSession needs BroadcastChannel (a browser); use handleCallback.';
export const sessionClosed: Message = 'This SmithCart session was closed; create a new one to get a token.';
export const authorizationInAnotherTab: Message = 'The SmithCart authorization in another tab';
