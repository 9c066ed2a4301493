const REDACTED = '[REDACTED]';
const SENSITIVE_NAME =
  /pass(?:word)?|secret|token|authori[sz]ation|api[-_]?key|assertion|code_verifier|^code$|signature/i;
const MAX_TEXT = 2_000;
const MAX_DEPTH = 8;

/**
 * Whether a field or parameter name usually carries a secret.
 *
 * @example
 * ```ts
 * isSensitiveName('client_secret'); // true
 * isSensitiveName('error_description'); // false
 * ```
 */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/**
 * A URL fit for messages: no credentials, no fragment, secret-looking query values redacted.
 *
 * @example
 * ```ts
 * redactUrl('https://u:p@a.example/cb?access_token=x&page=2#state=s');
 * // 'https://a.example/cb?access_token=%5BREDACTED%5D&page=2'
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(invalid URL)';
  }
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  for (const name of new Set(parsed.searchParams.keys())) {
    if (isSensitiveName(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * A response body fit for an error: parsed as JSON where it is JSON, values of
 * secret-looking fields redacted, known secrets scrubbed from every string,
 * long text cut.
 *
 * @example
 * ```ts
 * redactBody('{"error":"invalid_grant","password":"pw"}'); // { error: 'invalid_grant', password: '[REDACTED]' }
 * redactBody('token abcd1234 refused', ['abcd1234']); // 'token [REDACTED] refused'
 * ```
 */
export function redactBody(text: string, secrets: readonly string[] = []): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const cut = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
    return scrub(cut, secrets);
  }
  return redactValue(parsed, secrets, 0);
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isSensitiveName(key) ? REDACTED : redactValue(item, secrets, depth + 1),
    ]),
  );
}
