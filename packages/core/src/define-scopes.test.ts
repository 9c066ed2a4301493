import { ConfigurationError, defineScopes, isGrantKitError, type ScopeSet } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

const SCOPES = defineScopes(['public', 'private', 'orders'] as const);

function configurationMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    return (error as ConfigurationError).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('defineScopes', () => {
  it('lists the scopes in definition order', () => {
    expect(SCOPES.scopes).toEqual(['public', 'private', 'orders']);
    expect(Object.isFrozen(SCOPES.scopes)).toBe(true);
  });

  it('refuses to define a scope outside the RFC 6749 §3.3 grammar', () => {
    expect(() => defineScopes(['ok', 'not ok'])).toThrow(ConfigurationError);
    expect(() => defineScopes(['a"b'])).toThrow(ConfigurationError);
    expect(() => defineScopes([''])).toThrow(ConfigurationError);
  });

  describe('is()', () => {
    it('tells known scopes from anything else', () => {
      expect(SCOPES.is('orders')).toBe(true);
      expect(SCOPES.is('admin')).toBe(false);
      expect(SCOPES.is(42)).toBe(false);
      expect(SCOPES.is(undefined)).toBe(false);
    });
  });

  describe('parse()', () => {
    it('parses a space-separated string, keeping order and collapsing duplicates and runs of spaces', () => {
      expect([...SCOPES.parse('orders  public orders')]).toEqual(['orders', 'public']);
    });

    it('parses a list of scopes', () => {
      expect(SCOPES.parse(['private', 'public']).toString()).toBe('private public');
    });

    it('gives the empty set for an empty string or list', () => {
      expect(SCOPES.parse('').size).toBe(0);
      expect(SCOPES.parse('   ').size).toBe(0);
      expect(SCOPES.parse([]).size).toBe(0);
    });

    it('throws ConfigurationError naming an unknown scope and listing the known ones', () => {
      expect(configurationMessage(() => SCOPES.parse('public admin'))).toBe(
        'Unknown scope "admin". Known scopes: public, private, orders.',
      );
      expect(configurationMessage(() => SCOPES.parse(['admin']))).toContain('Known scopes: public, private, orders');
    });

    it.each([
      ['a double quote', 'public "orders"'],
      ['a backslash', 'public or\\ders'],
      ['a control character', 'public\torders'],
      ['a line break', 'public\norders'],
      ['a non-ASCII character', 'públic'],
    ])('throws ConfigurationError for %s, pointing at the bad token', (_, text) => {
      const message = configurationMessage(() => SCOPES.parse(text));
      expect(message).toMatch(/invalid scope token at position \d+ \(RFC 6749 §3\.3/);
      expect(message).toContain('Known scopes: public, private, orders');
    });

    it('throws ConfigurationError for a list item with invalid characters, without echoing it', () => {
      expect(configurationMessage(() => SCOPES.parse(['or"ders']))).toBe(
        'Unknown scope with invalid characters. Known scopes: public, private, orders.',
      );
    });
  });

  describe('format()', () => {
    it('joins scopes with single spaces, collapsing duplicates', () => {
      expect(SCOPES.format(['orders', 'public', 'orders'])).toBe('orders public');
      expect(SCOPES.format([])).toBe('');
    });
  });

  describe('literal types', () => {
    it('types parsed sets and format() input with the defined scopes only', () => {
      const parsed: ScopeSet<'public' | 'private' | 'orders'> = SCOPES.parse('public');
      // @ts-expect-error 'admin' is not one of the defined scopes
      const wrong = () => SCOPES.format(['admin']);
      // @ts-expect-error a set of the defined scopes is not a set of only 'public'
      const narrow: ScopeSet<'public'> = parsed;
      const value: unknown = 'orders';
      const known: 'public' | 'private' | 'orders' | undefined = SCOPES.is(value) ? value : undefined;
      expect(known).toBe('orders');
      expect(wrong).toBeInstanceOf(Function);
      expect(narrow).toBe(parsed);
    });
  });
});
