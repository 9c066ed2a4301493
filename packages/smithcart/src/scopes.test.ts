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
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (text) => {
        try {
          const parsed = SMITHCART_SCOPES.parse(text);
          for (const scope of parsed) expect(SMITHCART_SCOPES.is(scope)).toBe(true);
        } catch (error) {
          expect(isGrantKitError(error, 'configuration_error')).toBe(true);
        }
      }),
      { numRuns: 1000 },
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
