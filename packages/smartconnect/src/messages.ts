// The full "what to do next" messages of @grantkit/smartconnect, imported from `#messages` (package.json `imports`).
// A bundle built with the `production` condition gets `messages.production.ts`, where every builder gives
// `undefined`, so the error says `<code>: see <docs>#<code>` instead (CONTRIBUTING.md, "Error messages").

/** A message, or `undefined` in a production build. */
type Message = string | undefined;

// browser-guard.ts
export const runningInBrowser: Message =
  'SmartConnect password-grant code is running in a browser, where every visitor could read the client secret. ' +
  'Run it on a server and expose only your own API to the page; pass `dangerouslyAllowBrowser: true` only for a trusted, non-public context.';

// credentials.ts
export const credentialsMissing: Message = 'Pass `credentials` with username, password, clientId and clientSecret.';
export const credentialMissing = (name: string): Message =>
  `\`${name}\` is missing or empty; read it from your environment or secret store and pass it as a string.`;

// regions.ts
export const regionUnknown = (region: unknown, known: readonly string[]): Message => {
  const upper = typeof region === 'string' ? region.toUpperCase() : undefined;
  const hint = upper !== undefined && known.includes(upper) ? ` Did you mean "${upper}"?` : '';
  return `Unknown SmartConnect region; use one of ${known.join(', ')}, or pass \`baseUrl\` for another host.${hint}`;
};
export const regionAndBaseUrl: Message = 'Pass either `region` or `baseUrl`, not both.';
export const targetMissing = (known: readonly string[]): Message =>
  `Pass \`region\` (one of ${known.join(', ')}) or \`baseUrl\`.`;
export const baseUrlNotUrl: Message = '`baseUrl` must be a string or a URL, such as https://smartconnect.example.com.';
export const baseUrlHasQuery: Message = '`baseUrl` must not have a query or a fragment; give the API root only.';

// password-grant.ts
export const credentialsTwice: Message =
  'Pass the credentials once: as `credentials: { … }`, not also as flat options.';
export const timeoutInvalid: Message = '`timeout` must be a positive number of milliseconds, or `false` for none.';

const adviceByCode: Readonly<Record<string, string>> = {
  invalid_grant: 'Check the username and password; they were refused.',
  invalid_client: 'Check the client id and client secret of your REST application registration.',
};
/** The SmartConnect-specific advice for an RFC 6749 error code, where there is one. */
export const oauthAdvice = (error: string): Message =>
  Object.hasOwn(adviceByCode, error) ? adviceByCode[error] : undefined;

// client.ts
export const optionNotNonNegative = (name: string): Message => `\`${name}\` must be a finite number ≥ 0.`;
