const REDACTED = '[REDACTED]';
const SENSITIVE_NAME =
  /pass(?:word)?|secret|token|authori[sz]ation|key|assertion|code_verifier|^code$|signature|jwt|session|(?:^|[^a-z])sid(?:$|[^a-z])|(?:^|[^a-z])auth/i;
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
const JSON_SHORT: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HTML_NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// The escapes a reflected request can carry: one percent-encoded byte (a UTF-8 character may take up to four),
// a JSON escape, an HTML character reference. Each alternative is bounded, so a scan is linear.
const ESCAPE =
  /%([0-9a-fA-F]{2})|\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))|&(?:#0*(\d{1,7})|#[xX]0*([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;

/** The length in bytes of the UTF-8 character whose first byte is `lead`; 0 when `lead` cannot start one. */
function utf8Size(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc0 || lead >= 0xf8) return 0;
  return lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** What the escape `match` spells, and how many characters of the text spell it; `undefined`: not an escape. */
function decodeEscape(match: RegExpExecArray, text: string): [string, number] | undefined {
  const [whole, byte, unit, short, decimal, hex, named] = match;
  if (byte !== undefined) {
    const length = utf8Size(Number.parseInt(byte, 16)) * 3;
    try {
      return length === 0 ? undefined : [decodeURIComponent(text.slice(match.index, match.index + length)), length];
    } catch {
      return undefined; // a broken UTF-8 sequence
    }
  }
  if (unit !== undefined) return [String.fromCharCode(Number.parseInt(unit, 16)), whole.length];
  if (short !== undefined) return [JSON_SHORT[short] ?? short, whole.length];
  if (named !== undefined) return [HTML_NAMED[named] as string, whole.length];
  const codePoint = decimal === undefined ? Number.parseInt(hex as string, 16) : Number(decimal);
  return codePoint <= 0x10ffff ? [String.fromCodePoint(codePoint), whole.length] : undefined;
}

/**
 * A text with every escape decoded, `+` read as a space (form bodies), and for each of its code units the
 * range `[start[i], end[i])` of the original that spelled it; `undefined` when the text has nothing to decode.
 */
interface Decoded {
  text: string;
  start: Int32Array;
  end: Int32Array;
}

function decode(text: string): Decoded | undefined {
  // No escape spells more code units than it has characters, so the text's length bounds the decoded one.
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  const chunks: string[] = [];
  let length = 0;
  let copied = 0;
  const add = (units: string, from: number, to: number, literal: boolean) => {
    chunks.push(units.replaceAll('+', ' '));
    for (let index = 0; index < units.length; index += 1, length += 1) {
      start[length] = literal ? from + index : from;
      end[length] = literal ? from + index + 1 : to;
    }
  };
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match !== null; match = ESCAPE.exec(text)) {
    const found = decodeEscape(match, text);
    if (found === undefined) {
      ESCAPE.lastIndex = match.index + 1;
      continue;
    }
    add(text.slice(copied, match.index), copied, match.index, true);
    copied = match.index + found[1];
    add(found[0], match.index, copied, false);
    ESCAPE.lastIndex = copied;
  }
  if (copied === 0 && !text.includes('+')) return undefined;
  add(text.slice(copied), copied, text.length, true);
  return { text: chunks.join(''), start, end };
}

/** Each occurrence of `needle` in `haystack` (not overlapping), by Knuth–Morris–Pratt: linear whatever the input. */
function findAll(haystack: string, needle: string, add: (first: number, last: number) => void): void {
  const fallback = new Int32Array(needle.length);
  for (let index = 1, matched = 0; index < needle.length; index += 1) {
    while (matched > 0 && needle.charCodeAt(index) !== needle.charCodeAt(matched)) matched = fallback[matched - 1] ?? 0;
    if (needle.charCodeAt(index) === needle.charCodeAt(matched)) matched += 1;
    fallback[index] = matched;
  }
  for (let index = 0, matched = 0; index < haystack.length; index += 1) {
    while (matched > 0 && haystack.charCodeAt(index) !== needle.charCodeAt(matched))
      matched = fallback[matched - 1] ?? 0;
    if (haystack.charCodeAt(index) === needle.charCodeAt(matched)) matched += 1;
    if (matched === needle.length) {
      add(index - needle.length + 1, index);
      matched = 0;
    }
  }
}

/**
 * A function that replaces the given secrets, in each of their spellings, wherever they occur in a text. It
 * decodes the text once and searches both forms by KMP: time linear in the text, whatever the secrets look like.
 */
function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const wanted = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  if (wanted.length === 0) return (text) => text;
  return (text) => {
    const ranges: [number, number][] = [];
    const decoded = decode(text);
    for (const secret of wanted) {
      findAll(text, secret, (first, last) => ranges.push([first, last + 1]));
      if (decoded) {
        findAll(decoded.text, secret.replaceAll('+', ' '), (first, last) =>
          ranges.push([decoded.start[first] as number, decoded.end[last] as number]),
        );
      }
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let done = -1;
    for (const [start, end] of ranges) {
      if (start <= done) {
        done = Math.max(done, end);
        continue;
      }
      out += `${text.slice(Math.max(done, 0), start)}${REDACTED}`;
      done = end;
    }
    return out + text.slice(done);
  };
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
