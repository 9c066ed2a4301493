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

const MIN_SECRET_LENGTH = 4;
const HTML_NAMED: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;'],
};
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** `digits` as a pattern that takes hexadecimal letters in either case. */
function anyCaseHex(digits: string): string {
  return digits.replace(/[a-f]/gi, (digit) => `[${digit.toLowerCase()}${digit.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Every spelling of one character a reflected request can carry: as is, `+`
 * for a space (form bodies), percent-encoded UTF-8 in either case (encoders
 * disagree on which characters they leave alone), JSON escapes and HTML
 * character references.
 */
function characterPattern(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const forms = [escapeRegExp(char)];
  if (char === ' ') forms.push('\\+');
  const bytes = new TextEncoder().encode(char);
  forms.push(anyCaseHex(Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')));
  const jsonShort = JSON_SHORT[char];
  if (jsonShort !== undefined) forms.push(escapeRegExp(jsonShort));
  let unicodeEscape = '';
  for (let index = 0; index < char.length; index += 1) {
    unicodeEscape += `\\\\u${anyCaseHex(char.charCodeAt(index).toString(16).padStart(4, '0'))}`;
  }
  forms.push(unicodeEscape);
  forms.push(...(HTML_NAMED[char] ?? []), `&#0*${codePoint};`, `&#[xX]0*${anyCaseHex(codePoint.toString(16))};`);
  return `(?:${forms.join('|')})`;
}

/** A function that replaces the given secrets, in each of their spellings, wherever they occur in a text. */
function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const patterns = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    // The longest first, so a secret that contains another one goes as a whole.
    .sort((a, b) => b.length - a.length)
    .map((secret) => Array.from(secret, characterPattern).join(''));
  if (patterns.length === 0) return (text) => text;
  const pattern = new RegExp(patterns.join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/**
 * A response body fit for an error: parsed as JSON where it is JSON, values of
 * secret-looking fields redacted, known secrets scrubbed from every string,
 * long text cut. A secret is scrubbed in every form a server that echoes the
 * request may give it back in: as is, percent-encoded (any hex case, any set of
 * characters left unescaped), form-encoded (`+` for a space), JSON-escaped
 * (`\"`, `\u00e9`) and HTML-escaped (`&amp;`, `&#33;`). Secrets shorter than
 * four characters are not scrubbed: they would match ordinary text.
 *
 * @example
 * ```ts
 * redactBody('{"error":"invalid_grant","password":"pw"}'); // { error: 'invalid_grant', password: '[REDACTED]' }
 * redactBody('token abcd1234 refused', ['abcd1234']); // 'token [REDACTED] refused'
 * redactBody('password=pw+LEAK%2B%21', ['pw LEAK+!']); // 'password=[REDACTED]'
 * ```
 */
export function redactBody(text: string, secrets: readonly string[] = []): unknown {
  const scrub = secretScrubber(secrets);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Scrubbed before the cut, so that a secret across the cut cannot leave its first half.
    const scrubbed = scrub(text);
    return scrubbed.length > MAX_TEXT ? `${scrubbed.slice(0, MAX_TEXT)}…` : scrubbed;
  }
  return redactValue(parsed, scrub, 0);
}

function redactValue(value: unknown, scrub: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, scrub, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isSensitiveName(key) ? REDACTED : redactValue(item, scrub, depth + 1),
    ]),
  );
}
