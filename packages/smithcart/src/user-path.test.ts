import { isGrantKitError } from '@grantkit/core';
import { userPath } from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

describe('userPath', () => {
  it('builds private paths under /users/{username}', () => {
    expect(userPath('me', 'orders.json')).toBe('/users/me/orders.json');
    expect(userPath('me', 'orders', '42', 'line_items.json')).toBe('/users/me/orders/42/line_items.json');
    expect(userPath('me.json')).toBe('/users/me.json');
  });

  it('encodes each segment so that /, %, ? and # cannot change the path', () => {
    expect(userPath('a/b', 'profile.json')).toBe('/users/a%2Fb/profile.json');
    expect(userPath('me', '../admin')).toBe('/users/me/..%2Fadmin');
    expect(userPath('me', '%2F')).toBe('/users/me/%252F');
    expect(userPath('x?y#z', 'orders.json')).toBe('/users/x%3Fy%23z/orders.json');
    expect(new URL(userPath('me', '../admin'), 'https://api.example.com').pathname).toBe('/users/me/..%2Fadmin');
  });

  it.each([['..'], ['.'], [''], ['\uD800']])('refuses the segment %j with ConfigurationError', (bad) => {
    let error: unknown;
    try {
      userPath('me', 'orders', bad);
    } catch (caught) {
      error = caught;
    }
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect(() => userPath(bad, 'orders.json')).toThrow(expect.objectContaining({ code: 'configuration_error' }));
  });

  it('round-trips any segments through a URL: each comes back whole, in its place (fast-check)', () => {
    const part = fc.string({ minLength: 1, unit: 'grapheme' }).filter((text) => text !== '.' && text !== '..');
    fc.assert(
      fc.property(part, fc.array(part, { maxLength: 4 }), (username, segments) => {
        const url = new URL(userPath(username, ...segments), 'https://api.example.com/');
        expect(url.origin).toBe('https://api.example.com');
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        const decoded = url.pathname.split('/').slice(1).map(decodeURIComponent);
        expect(decoded).toEqual(['users', username, ...segments]);
      }),
      { numRuns: 1000 },
    );
  });
});
