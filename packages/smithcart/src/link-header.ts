/** One link of an RFC 8288 `Link` header. */
export interface LinkHeaderEntry {
  /** The target, resolved against the URL of the response that carried the header. */
  href: string;
  /** The relation types, lower-cased (they compare case-insensitively), in header order. */
  rel: readonly string[];
  /** Every parameter by lower-cased name, unquoted; the first occurrence of a name wins. */
  params: Readonly<Record<string, string>>;
}

// RFC 9110 §5.6.2 tchar.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses an HTTP `Link` header (RFC 8288): several comma-separated links,
 * quoted and unquoted parameter values, several space-separated relation types
 * in one `rel`, URI references resolved against `baseUrl` (the request URL).
 * Malformed parts are skipped; it never throws.
 *
 * @example
 * ```ts
 * parseLinkHeader('<?page=3>; rel="next last", <?page=1>; rel=prev', 'https://api.example.com/users/me/orders.json?page=2');
 * // [{ href: 'https://api.example.com/users/me/orders.json?page=3', rel: ['next', 'last'], params: { rel: 'next last' } },
 * //  { href: 'https://api.example.com/users/me/orders.json?page=1', rel: ['prev'], params: { rel: 'prev' } }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 */
export function parseLinkHeader(header: string | null | undefined, baseUrl: string | URL): LinkHeaderEntry[] {
  if (typeof header !== 'string') return [];
  const links: LinkHeaderEntry[] = [];
  const text = header;
  let pos = 0;

  const skipSpace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos += 1;
  };
  // Moves past the rest of a malformed part, up to the next `;` or `,` outside quotes.
  const skipJunk = (stopAtSemicolon: boolean) => {
    while (pos < text.length && text[pos] !== ',' && !(stopAtSemicolon && text[pos] === ';')) {
      if (text[pos] === '"') readQuoted();
      else pos += 1;
    }
  };
  const readQuoted = (): string => {
    pos += 1;
    let value = '';
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\' && pos + 1 < text.length) pos += 1;
      value += text[pos];
      pos += 1;
    }
    pos += 1;
    return value;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < text.length && TCHAR.test(text[pos] as string)) pos += 1;
    return text.slice(start, pos);
  };

  while (pos < text.length) {
    skipSpace();
    if (text[pos] === ',') {
      pos += 1;
      continue;
    }
    if (text[pos] !== '<') {
      skipJunk(false);
      continue;
    }
    const close = text.indexOf('>', pos);
    if (close === -1) break;
    const reference = text.slice(pos + 1, close).trim();
    pos = close + 1;

    const params = new Map<string, string>();
    let malformed = false;
    for (;;) {
      skipSpace();
      if (pos >= text.length || text[pos] === ',') break;
      if (text[pos] !== ';') {
        malformed = true;
        skipJunk(false);
        break;
      }
      pos += 1;
      skipSpace();
      const name = readToken().toLowerCase();
      skipSpace();
      let value = '';
      if (text[pos] === '=') {
        pos += 1;
        skipSpace();
        value = text[pos] === '"' ? readQuoted() : readToken();
        skipSpace();
      }
      if (name === '' || (pos < text.length && text[pos] !== ';' && text[pos] !== ',')) {
        skipJunk(true);
        continue;
      }
      if (!params.has(name)) params.set(name, value);
    }
    if (malformed) continue;

    let href: string;
    try {
      href = new URL(reference, baseUrl).href;
    } catch {
      continue;
    }
    const rel = (params.get('rel') ?? '')
      .split(/[ \t]+/)
      .filter((type) => type !== '')
      .map((type) => type.toLowerCase());
    links.push({ href, rel, params: Object.fromEntries(params) });
  }
  return links;
}
