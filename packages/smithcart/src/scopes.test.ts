import { ConfigurationError, isGrantKitError } from '@grantkit/core';
import { SMITHCART_SCOPES } from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

describe('SMITHCART_SCOPES', () => {
  it('knows the seven scopes of SmithCart’s document, in its order', () => {
    expect(SMITHCART_SCOPES.scopes).toEqual(['public', 'private', 'create', 'edit', 'delete', 'users', 'orders']);
  });

  it('parses a space-separated list, tolerating runs of spaces', () => {
    expect(SMITHCART_SCOPES.parse('  private   orders ').toString()).toBe('private orders');
  });

  it('refuses an unknown scope with a ConfigurationError that lists the known ones', () => {
    expect(() => SMITHCART_SCOPES.parse('private admin')).toThrow(ConfigurationError);
    expect(() => SMITHCART_SCOPES.parse('private admin')).toThrow(/Known scopes: public, private/);
  });

  it('returns a ScopeSet or throws ConfigurationError for any string, never anything else', () => {
    const known = fc
      .array(fc.tuple(fc.constantFrom(...SMITHCART_SCOPES.scopes), fc.constantFrom(' ', '  ')), { maxLength: 5 })
      .map((parts) => parts.flat().join(''));
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), known), (text) => {
        try {
          const set = SMITHCART_SCOPES.parse(text);
          for (const scope of set) expect(SMITHCART_SCOPES.is(scope)).toBe(true);
          parsed += 1;
        } catch (error) {
          expect(isGrantKitError(error, 'configuration_error')).toBe(true);
          refused += 1;
        }
      }),
      { numRuns: 1000 },
    );
    // Both branches must have run, or the property says nothing about one of them.
    expect(parsed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('parses every space-separated list of known scopes into exactly those scopes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SMITHCART_SCOPES.scopes)),
        fc.constantFrom(' ', '  ', '   '),
        (scopes, separator) => {
          expect([...SMITHCART_SCOPES.parse(` ${scopes.join(separator)} `)]).toEqual([...new Set(scopes)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives back the same set after format and parse (round trip)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SMITHCART_SCOPES.scopes)), (scopes) => {
        const set = SMITHCART_SCOPES.parse(scopes);
        expect([...SMITHCART_SCOPES.parse(SMITHCART_SCOPES.format(set))]).toEqual([...new Set(scopes)]);
      }),
      { numRuns: 1000 },
    );
  });
});
