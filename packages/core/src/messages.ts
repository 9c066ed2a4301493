// The full "what to do next" messages of @grantkit/core. Code imports them from `#messages` (package.json
// `imports`): a bundle built with the `production` condition gets `messages.production.ts` instead, where every
// builder gives `undefined`, and `GrantKitError` then says `<code>: see <docs>#<code>`. Keep both files' names in step.
import type { HttpErrorDetails } from './errors/http-error.js';
import type { ResponseIssue } from './errors/invalid-response-error.js';
import type { OAuthErrorDetails } from './errors/oauth-error.js';
import { formatInstant } from './format-instant.js';
import { isScopeToken } from './scope-token.js';

/** A message, or `undefined` in a production build. */
type Message = string | undefined;

// The error classes' own templates.

const oauthHints: Record<string, string> = {
  invalid_grant: 'The authorization grant or the credentials were refused.',
  invalid_client: 'Check the client id and client secret of your application registration.',
  unauthorized_client: 'This client is not allowed to use this grant; check its registration.',
  unsupported_grant_type: 'The server does not accept this grant type.',
  invalid_request: 'A required parameter was missing or malformed.',
  invalid_scope: 'Request only scopes the provider knows and allows for this client.',
  access_denied: 'The user or the server refused the authorization.',
  server_error: 'The authorization server failed; try again later.',
  temporarily_unavailable: 'The authorization server is overloaded or down; try again later.',
};

export const oauthError = (details: OAuthErrorDetails): Message => {
  const description = details.errorDescription ? ` (${details.errorDescription})` : '';
  // Own keys only: a code such as "constructor" must not pick up Object.prototype's members.
  const hint =
    details.advice ??
    (Object.hasOwn(oauthHints, details.error)
      ? oauthHints[details.error]
      : 'See the provider documentation for this error code.');
  return `The provider answered "${details.error}"${description}. ${hint}`;
};

function httpHint(status: number): string {
  if (status >= 300 && status < 400)
    return 'The server redirected elsewhere; redirects that leave the API origin are not followed.';
  if (status === 401) return 'The credentials were refused; sign in again.';
  if (status === 403) return 'The token does not allow this request.';
  if (status === 404) return 'Check the path and the base URL.';
  if (status === 429) return 'Too many requests; wait before trying again.';
  if (status >= 500) return 'The server failed; try again later.';
  return 'Check the request against the API documentation.';
}

export const httpError = (details: HttpErrorDetails): Message =>
  `${details.method} ${details.url} answered ${details.status}. ${httpHint(details.status)}`;

export const invalidResponse = (summary: Message, issues: readonly ResponseIssue[]): Message => {
  const listed = issues.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
  return `${summary}${listed ? ` (${listed})` : ''}. Check that the URL points at the right server.`;
};

export const stateMismatch = (reason: Message): Message =>
  `The authorization callback was refused: ${reason}. Its token was discarded; start the authorization again.`;

export const networkError = (target: Message): Message =>
  `Could not reach ${target}. Check the URL and your network connection.`;

export const timeout = (target: Message, timeoutMs: number | undefined): Message =>
  `${target} did not answer${timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`}. Try again, or raise the \`timeout\` option.`;

export const tokenExpired = (expiredAt: number | undefined, advice: Message): Message =>
  `The access token expired${expiredAt === undefined ? '' : ` at ${formatInstant(expiredAt)}`}. ${advice ?? 'Get a new token.'}`;

export const insufficientScope = (required: string | undefined, granted: string): Message =>
  `This request ${required ? `needs the "${required}" scope` : 'was refused for lack of scope'}; the token has "${granted}". Authorize again and request that scope.`;

export const popupBlocked: Message =
  'The browser blocked the authorization popup. Start it from a click, ask the user to allow popups for this site, or use the redirect flow.';

export const popupClosed: Message =
  'The authorization popup was closed before it finished. Nothing was granted; start again when the user is ready.';

// The throw sites of core (the transport's are in transport/).

export const urlNotAbsolute = (optionName: string): Message =>
  `\`${optionName}\` is not an absolute URL; give one such as https://api.example.com.`;

export const urlHasCredentials = (optionName: string): Message =>
  `\`${optionName}\` must not contain credentials; pass them as options instead.`;

export const urlNotSecure = (optionName: string, url: URL): Message =>
  `\`${optionName}\` must use https: (plain http: is allowed only for localhost, 127.0.0.0/8 and [::1]); got ${url.protocol}//${url.host}.`;

export const accessTokenValue: Message =
  'An access token must be a non-empty string of visible ASCII characters; pass the `access_token` exactly as the provider sent it.';

export const accessTokenExpiresAt: Message =
  '`expiresAt` must be a finite number of epoch milliseconds, or undefined when the lifetime is unknown.';

export const storedTokenMalformed: Message =
  'The stored access token is malformed; delete it from the token store and sign in again.';

export const scopeNotToken = (position: number): Message =>
  `Scope number ${position} is not an RFC 6749 §3.3 scope token; use non-empty visible ASCII without spaces, '"' or '\\'.`;

export const scopeDefinitionInvalid = (scope: string): Message =>
  `"${scope}" is not a valid scope token (RFC 6749 §3.3): use visible ASCII without spaces, '"' or '\\'.`;

export const scopeListInvalid = (position: number, known: readonly string[]): Message =>
  `The scope list has an invalid scope token at position ${position} (RFC 6749 §3.3 allows visible ASCII without '"' or '\\'). Known scopes: ${known.join(', ')}.`;

export const scopeUnknown = (token: string, known: readonly string[]): Message =>
  `Unknown scope ${isScopeToken(token) ? `"${token}"` : 'with invalid characters'}. Known scopes: ${known.join(', ')}.`;

export const tokenResponseInvalid: Message = 'The token response is not a valid OAuth 2.0 token response';

// The transport's throw sites (transport/).

export const tokenNotToken: Message =
  'getToken() returned a string that is not a token: an access token is a non-empty string of visible ASCII characters (no spaces or line breaks).';

export const urlOffOrigin = (url: string, origin: string): Message =>
  `The URL ${url} is outside the API's origin ${origin}; requests, and the token, go only there. Pass a path relative to the API root.`;

export const answerTooLarge = (target: string, maxBytes: number): Message =>
  `The answer to ${target} is larger than ${maxBytes} bytes`;

export const answerNotJson = (target: string): Message => `The answer to ${target} is not JSON`;

export const answerNotMatching = (what: string): Message => `${what} does not match the expected schema`;
