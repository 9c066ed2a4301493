import { jwtExpiry } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('jwtExpiry', () => {
  it('returns the exp claim in epoch milliseconds', () => {
    expect(jwtExpiry(`${segment({ alg: 'none' })}.${segment({ exp: 1_800_000_000 })}.sig`)).toBe(1_800_000_000_000);
  });

  it('decodes base64url payloads that need "-", "_" and padding', () => {
    // "~~~" and "???" encode to "-" and "_" in base64url; the lengths force padding.
    const payload = segment({ exp: 1_800_000_001, n: '~~~???>>>' });
    expect(payload).toMatch(/[-_]/);
    expect(jwtExpiry(`e30.${payload}.sig`)).toBe(1_800_000_001_000);
  });

  it('reads exp beside claims in any script (the payload is UTF-8)', () => {
    expect(jwtExpiry(`e30.${segment({ name: 'Zoë 東京 🔑', exp: 1_800_000_002 })}.sig`)).toBe(1_800_000_002_000);
  });

  it.each([
    ['an opaque token', 'abcdef'],
    ['two segments', `a.${segment({ exp: 1_800_000_000 })}`],
    ['four segments', `a.${segment({ exp: 1_800_000_000 })}.c.d`],
    ['a JSON null payload', `a.${segment(null)}.c`],
    ['an empty payload', 'a..c'],
    ['a payload that is not JSON', `a.${Buffer.from('nope').toString('base64url')}.c`],
    ['a JSON payload that is not an object', `a.${segment(42)}.c`],
    ['exp as a string', `a.${segment({ exp: '1800000000' })}.c`],
    ['exp of zero', `a.${segment({ exp: 0 })}.c`],
    ['a negative exp', `a.${segment({ exp: -5 })}.c`],
    ['invalid base64', 'a.%%%%.c'],
  ])('returns undefined for %s', (_, token) => {
    expect(jwtExpiry(token)).toBeUndefined();
  });
});
