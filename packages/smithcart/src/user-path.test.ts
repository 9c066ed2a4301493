import { isGrantKitError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { userPath } from './index.js';

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

  it.each([['..'], ['.'], ['']])('refuses the segment %j with ConfigurationError', (bad) => {
    let error: unknown;
    try {
      userPath('me', 'orders', bad);
    } catch (caught) {
      error = caught;
    }
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect(() => userPath(bad, 'orders.json')).toThrow(/path segment/);
  });
});
