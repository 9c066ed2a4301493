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
const HTML_NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * A text with every escape decoded, and where its parts came from: runs of literal text map one to one,
 * each escape maps all its code units to the whole escape.
 */
interface Decoded {
  text: string;
  /** Per part: index in `text`, index in the original, length in the original; `literal` runs map one to one. */
  parts: { at: number; from: number; length: number; literal: boolean }[];
}

function hexAt(text: string, index: number, digits: number): number | undefined {
  const part = text.slice(index, index + digits);
  return part.length === digits && /^[0-9a-f]+$/i.test(part) ? Number.parseInt(part, 16) : undefined;
}

function utf8Size(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc0 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  return lead >= 0xf0 && lead < 0xf8 ? 4 : 0;
}

/** One percent-encoded UTF-8 character at `index`: its code point and how many characters spell it. */
function percentAt(text: string, index: number): [number, number] | undefined {
  const lead = hexAt(text, index + 1, 2);
  const size = lead === undefined ? 0 : utf8Size(lead);
  if (lead === undefined || size === 0) return undefined;
  let codePoint = size === 1 ? lead : lead & (0xff >> (size + 1));
  for (let byte = 1; byte < size; byte += 1) {
    const at = index + byte * 3;
    const next = text[at] === '%' ? hexAt(text, at + 1, 2) : undefined;
    if (next === undefined || next < 0x80 || next > 0xbf) return undefined;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  return [codePoint, size * 3];
}

const HTML_REFERENCE = /^&(?:#0*(\d{1,7})|#[xX]0*([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/;

/** One escape at `index` (percent, JSON or HTML): its code point and its length, or `undefined`. */
function escapeAt(text: string, index: number): [number, number] | undefined {
  const char = text[index];
  if (char === '%') return percentAt(text, index);
  if (char === '\\') {
    const next = text[index + 1] ?? '';
    const short = JSON_SHORT[next];
    if (short !== undefined) return [short.charCodeAt(0), 2];
    const unit = next === 'u' ? hexAt(text, index + 2, 4) : undefined;
    return unit === undefined ? undefined : [unit, 6];
  }
  const reference = HTML_REFERENCE.exec(text.slice(index, index + 12));
  if (!reference) return undefined;
  const [whole, decimal, hex, named] = reference;
  const codePoint = named
    ? (HTML_NAMED[named] as string).charCodeAt(0)
    : Number.parseInt((decimal ?? hex) as string, decimal ? 10 : 16);
  return codePoint <= 0x10ffff ? [codePoint, whole.length] : undefined;
}

/**
 * Decodes every escape a reflected request can carry, in one pass: percent-encoded UTF-8 (either hex case),
 * JSON escapes, HTML character references; `+` reads as a space (form bodies).
 */
function decode(text: string): Decoded {
  const chunks: string[] = [];
  const parts: Decoded['parts'] = [];
  let at = 0;
  const literal = (from: number, to: number) => {
    if (to <= from) return;
    const run = text.slice(from, to).replaceAll('+', ' ');
    parts.push({ at, from, length: run.length, literal: true });
    chunks.push(run);
    at += run.length;
  };
  let runStart = 0;
  const starts = /[%\\&]/g;
  for (let match = starts.exec(text); match !== null; match = starts.exec(text)) {
    const found = escapeAt(text, match.index);
    if (found === undefined) continue;
    literal(runStart, match.index);
    const units = String.fromCodePoint(found[0]).replace('+', ' ');
    parts.push({ at, from: match.index, length: found[1], literal: false });
    chunks.push(units);
    at += units.length;
    runStart = match.index + found[1];
    starts.lastIndex = runStart;
  }
  literal(runStart, text.length);
  return { text: chunks.join(''), parts };
}

/** The original range `[start, end)` that spelled `decoded.text[first..last]`. */
function originalRange(decoded: Decoded, first: number, last: number): [number, number] {
  const { parts } = decoded;
  const find = (index: number) => {
    let low = 0;
    let high = parts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((parts[middle] as Decoded['parts'][number]).at <= index) low = middle;
      else high = middle - 1;
    }
    return parts[low] as Decoded['parts'][number];
  };
  const head = find(first);
  const tail = find(last);
  const start = head.literal ? head.from + (first - head.at) : head.from;
  const end = tail.literal ? tail.from + (last - tail.at) + 1 : tail.from + tail.length;
  return [start, end];
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
      if (decoded.text !== text) {
        findAll(decoded.text, secret.replaceAll('+', ' '), (first, last) =>
          ranges.push(originalRange(decoded, first, last)),
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
