import { inspect } from 'node:util';
import { ConfigurationError, ScopeSet } from '@grantkit/core';
import { isScopeToken, splitScope } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

describe('ScopeSet', () => {
  const granted = ScopeSet.of(['public', 'orders', 'private']);

  it('keeps first-seen order and collapses duplicates', () => {
    const set = ScopeSet.of(['b', 'a', 'b', 'c', 'a']);
    expect([...set]).toEqual(['b', 'a', 'c']);
    expect(set.size).toBe(3);
  });

  it('is empty from ScopeSet.empty() and from an empty list', () => {
    expect(ScopeSet.empty().size).toBe(0);
    expect(ScopeSet.empty().toString()).toBe('');
    expect([...ScopeSet.of([])]).toEqual([]);
  });

  it('throws ConfigurationError for an item that is not an RFC 6749 §3.3 scope token', () => {
    expect(() => ScopeSet.of(['ok', 'two words'])).toThrow(ConfigurationError);
    expect(() => ScopeSet.of([''])).toThrow('Scope number 1 is not an RFC 6749 §3.3 scope token');
    expect(() => granted.union(['a\\b'])).toThrow(ConfigurationError);
  });

  it('has() tells which scopes are in the set', () => {
    expect(granted.has('orders')).toBe(true);
    expect(granted.has('delete')).toBe(false);
  });

  it('union() appends the new scopes after the existing ones', () => {
    expect(granted.union(['create', 'public']).toString()).toBe('public orders private create');
  });

  it('difference() removes the given scopes and keeps order', () => {
    expect(granted.difference(['orders']).toString()).toBe('public private');
    expect(granted.difference(granted).size).toBe(0);
  });

  it('isSubsetOf() holds for equal sets and subsets, not for supersets', () => {
    expect(ScopeSet.of(['orders']).isSubsetOf(granted)).toBe(true);
    expect(granted.isSubsetOf(['private', 'orders', 'public'])).toBe(true);
    expect(granted.isSubsetOf(['public'])).toBe(false);
    expect(ScopeSet.empty().isSubsetOf([])).toBe(true);
  });

  it('equals() ignores order but not membership', () => {
    expect(granted.equals(['private', 'public', 'orders'])).toBe(true);
    expect(granted.equals(['private', 'public'])).toBe(false);
    expect(granted.equals(['private', 'public', 'orders', 'users'])).toBe(false);
  });

  it('prints space-joined under toString(), template literals and JSON.stringify', () => {
    expect(granted.toString()).toBe('public orders private');
    expect(`${granted}`).toBe('public orders private');
    expect(JSON.stringify({ scope: granted })).toBe('{"scope":"public orders private"}');
  });

  it('prints its scopes under util.inspect and console.log, and the same in JSON', () => {
    expect(inspect(granted)).toBe('ScopeSet(public orders private)');
    expect(inspect({ nested: [granted] }, { depth: Number.POSITIVE_INFINITY })).toContain(
      'ScopeSet(public orders private)',
    );
    expect(inspect(ScopeSet.empty())).toBe('ScopeSet()');
    expect(JSON.stringify(granted)).toBe('"public orders private"');
  });

  describe('when given a string instead of a list', () => {
    it('reads it as a space-delimited scope string (RFC 6749 §3.3), never as letters', () => {
      expect([...ScopeSet.of('public')]).toEqual(['public']);
      expect([...ScopeSet.of(' public  orders ')]).toEqual(['public', 'orders']);
      expect(ScopeSet.of('').size).toBe(0);
    });

    it('reads it the same way in union(), difference(), isSubsetOf() and equals()', () => {
      expect(granted.union('create public').toString()).toBe('public orders private create');
      expect(granted.difference('orders').toString()).toBe('public private');
      expect(ScopeSet.of(['orders']).isSubsetOf('orders public')).toBe(true);
      expect(granted.isSubsetOf('public')).toBe(false);
      expect(granted.equals('private public orders')).toBe(true);
      expect(ScopeSet.of(['p']).isSubsetOf('public')).toBe(false);
    });

    it('throws ConfigurationError when a token of the string is outside the §3.3 grammar', () => {
      expect(() => ScopeSet.of('public a"b')).toThrow(ConfigurationError);
      expect(() => ScopeSet.of('public a"b')).toThrow('Scope number 2 is not an RFC 6749 §3.3 scope token');
      expect(() => ScopeSet.of('public\torders')).toThrow(ConfigurationError);
      expect(() => granted.union('a\\b')).toThrow(ConfigurationError);
      expect(() => granted.isSubsetOf('a"b')).toThrow(ConfigurationError);
    });
  });

  it('is immutable: operations return new sets and the set is frozen', () => {
    const before = granted.toString();
    granted.union(['users']);
    granted.difference(['public']);
    expect(granted.toString()).toBe(before);
    expect(Object.isFrozen(granted)).toBe(true);
  });

  describe('on arbitrary scope strings (property)', () => {
    const scopeToken = fc
      .array(
        fc.integer({ min: 0x21, max: 0x7e }).filter((code) => code !== 0x22 && code !== 0x5c),
        {
          minLength: 1,
          maxLength: 12,
        },
      )
      .map((codes) => String.fromCharCode(...codes));
    const separator = fc.integer({ min: 1, max: 3 }).map((n) => ' '.repeat(n));

    it('round-trips a scope string through splitScope and ScopeSet.toString()', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(scopeToken, separator), { maxLength: 8 }), (parts) => {
          const text = parts.map(([token, space]) => `${token}${space}`).join('');
          const split = splitScope(text);
          if (!split.ok) throw new Error('a valid scope string was refused');
          const unique = [...new Set(parts.map(([token]) => token))];
          expect(split.scopes.toString()).toBe(unique.join(' '));
          expect(unique.every(isScopeToken)).toBe(true);
          const again = splitScope(split.scopes.toString());
          expect(again.ok && again.scopes.equals(split.scopes)).toBe(true);
        }),
        { numRuns: 1_000 },
      );
    });
  });
});
