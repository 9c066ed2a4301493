import { isScopeToken, splitScope } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';

describe('isScopeToken', () => {
  it.each(['public', 'orders:read', 'https://api.example.com/x', '!', '~', '#[]'])('accepts %j', (token) => {
    expect(isScopeToken(token)).toBe(true);
  });

  it.each([
    ['the empty string', ''],
    ['a space', 'a b'],
    ['a double quote (%x22)', 'a"b'],
    ['a backslash (%x5C)', 'a\\b'],
    ['a tab', 'a\tb'],
    ['a NUL', 'a\u0000b'],
    ['DEL (%x7F)', 'a\u007fb'],
    ['a non-ASCII letter', 'é'],
  ])('refuses %s (RFC 6749 §3.3 scope-token)', (_, token) => {
    expect(isScopeToken(token)).toBe(false);
  });
});

describe('splitScope', () => {
  it('splits on spaces, tolerating doubled, leading and trailing spaces', () => {
    const result = splitScope('  public   orders ');
    expect(result.ok && [...result.scopes]).toEqual(['public', 'orders']);
  });

  it('gives the empty set for an empty string', () => {
    const result = splitScope('');
    expect(result.ok && result.scopes.size).toBe(0);
  });

  it('reports the index of the first invalid token', () => {
    expect(splitScope('public "orders" a\\b')).toEqual({ ok: false, position: 1 });
    expect(splitScope('public\torders')).toEqual({ ok: false, position: 0 });
  });
});
