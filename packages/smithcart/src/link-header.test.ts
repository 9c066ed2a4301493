import { parseLinkHeader } from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const BASE = 'https://api.example.com/users/me/orders.json?page=2';

describe('parseLinkHeader', () => {
  it('reads several links with quoted and unquoted rel values', () => {
    const links = parseLinkHeader(
      '<https://api.example.com/users/me/orders.json?page=3>; rel="next", <https://api.example.com/users/me/orders.json?page=1>; rel=prev',
      BASE,
    );
    expect(links).toEqual([
      { href: 'https://api.example.com/users/me/orders.json?page=3', rel: ['next'], params: { rel: 'next' } },
      { href: 'https://api.example.com/users/me/orders.json?page=1', rel: ['prev'], params: { rel: 'prev' } },
    ]);
  });

  it('splits several relation types in one rel and lower-cases them (RFC 8288 §3.3)', () => {
    const [link] = parseLinkHeader('<?page=9>; rel="Next  LAST"', BASE);
    expect(link?.rel).toEqual(['next', 'last']);
  });

  it('resolves relative references against the request URL (RFC 8288 §3.2)', () => {
    const links = parseLinkHeader('<?page=3>; rel=next, </users/me/orders.json>; rel=first, <7.json>; rel=item', BASE);
    expect(links.map((link) => link.href)).toEqual([
      'https://api.example.com/users/me/orders.json?page=3',
      'https://api.example.com/users/me/orders.json',
      'https://api.example.com/users/me/7.json',
    ]);
  });

  it('keeps other parameters, unescapes quoted strings and lets the first occurrence win', () => {
    const [link] = parseLinkHeader('<a>;rel=next;title="a \\"quoted\\", title";rel=prev;hreflang=en', BASE);
    expect(link?.rel).toEqual(['next']);
    expect(link?.params).toEqual({ rel: 'next', title: 'a "quoted", title', hreflang: 'en' });
  });

  it('does not split on commas inside quoted values', () => {
    const links = parseLinkHeader('<a>; title="x, <b>; rel=evil"; rel=next, <c>; rel=prev', BASE);
    expect(links.map((link) => [link.href.slice(-1), link.rel])).toEqual([
      ['a', ['next']],
      ['c', ['prev']],
    ]);
  });

  it('ignores garbage between and inside links and keeps the well-formed ones', () => {
    const links = parseLinkHeader('junk, <https://a.example/1>; rel=next, <unterminated; rel=prev', BASE);
    expect(links).toEqual([{ href: 'https://a.example/1', rel: ['next'], params: { rel: 'next' } }]);
    expect(parseLinkHeader('<https://a.example/2> trailing; rel=next, <https://a.example/3>; rel=prev', BASE)).toEqual([
      { href: 'https://a.example/3', rel: ['prev'], params: { rel: 'prev' } },
    ]);
    expect(parseLinkHeader('<http://[bad>; rel=next', BASE)).toEqual([]);
  });

  it('returns no links for an absent or empty header', () => {
    expect(parseLinkHeader(null, BASE)).toEqual([]);
    expect(parseLinkHeader(undefined, BASE)).toEqual([]);
    expect(parseLinkHeader('', BASE)).toEqual([]);
  });

  it('stores a parameter named __proto__ as data, not as a prototype', () => {
    const [link] = parseLinkHeader('<a>; __proto__="x"; rel=next', BASE);
    expect(Object.getPrototypeOf(link?.params)).toBe(Object.prototype);
    expect(Object.hasOwn(link?.params ?? {}, '__proto__')).toBe(true);
  });

  describe('on any input (fast-check, 1,000 runs)', () => {
    const pieces = fc.constantFrom('<', '>', ';', ',', '=', '"', '\\', ' ', 'rel', 'next', 'prev', 'http://x/', '?p=1');
    const headerText = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')),
    );

    it('never throws and returns only absolute URLs with lower-case rels', () => {
      fc.assert(
        fc.property(headerText, fc.oneof(fc.constant(BASE), fc.string()), (header, base) => {
          const links = parseLinkHeader(header, base);
          for (const link of links) {
            expect(() => new URL(link.href)).not.toThrow();
            for (const rel of link.rel) expect(rel).toBe(rel.toLowerCase());
          }
        }),
        { numRuns: 1000 },
      );
    });

    it('round-trips links it is given in canonical form', () => {
      const rels = fc.uniqueArray(fc.constantFrom('next', 'prev', 'first', 'last', 'item'), {
        minLength: 1,
        maxLength: 3,
      });
      const link = fc.record({ page: fc.nat(), rel: rels });
      fc.assert(
        fc.property(fc.array(link, { maxLength: 5 }), (links) => {
          const header = links.map((l) => `<?page=${l.page}>; rel="${l.rel.join(' ')}"`).join(', ');
          const parsed = parseLinkHeader(header, BASE);
          expect(parsed.map((p) => [p.href, p.rel])).toEqual(
            links.map((l) => [`https://api.example.com/users/me/orders.json?page=${l.page}`, l.rel]),
          );
        }),
        { numRuns: 1000 },
      );
    });
  });
});
