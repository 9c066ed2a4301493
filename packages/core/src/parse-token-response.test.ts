import { inspect } from 'node:util';
import { ConfigurationError, InvalidResponseError, isGrantKitError, parseTokenResponse } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const SECRET = 'tok-SeCrEt-0a1b2c3d4e5f6789';
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`;
}

function parseError(json: unknown): InvalidResponseError {
  try {
    parseTokenResponse(json, { now: () => NOW, status: 200 });
  } catch (error) {
    if (error instanceof InvalidResponseError) return error;
    throw error;
  }
  throw new Error('parseTokenResponse accepted an invalid body');
}

describe('parseTokenResponse', () => {
  describe('with a valid RFC 6749 §5.1 body', () => {
    it.each(['bearer', 'Bearer', 'BEARER', 'bEaReR'])('accepts token_type "%s"', (tokenType) => {
      const token = parseTokenResponse({ access_token: SECRET, token_type: tokenType }, { now: () => NOW });
      expect(token.tokenType).toBe('bearer');
      expect(token.expose()).toBe(SECRET);
    });

    it.each([
      ['an integer', 3600],
      ['a numeric string', '3600'],
      ['a numeric string with leading zeros', '0003600'],
    ])('computes expiresAt from expires_in given as %s', (_, expiresIn) => {
      const token = parseTokenResponse(
        { access_token: SECRET, token_type: 'bearer', expires_in: expiresIn },
        { now: () => NOW },
      );
      expect(token.expiresAt).toBe(NOW + 3_600_000);
    });

    it('ignores unknown extra fields such as refresh_token and .issued', () => {
      const token = parseTokenResponse(
        {
          access_token: SECRET,
          token_type: 'bearer',
          refresh_token: 'r',
          '.issued': 'Mon, 23 Nov 2026',
          userName: 'x',
        },
        { now: () => NOW },
      );
      expect(token.expose()).toBe(SECRET);
      expect(token.expiresAt).toBeUndefined();
    });

    it('uses the granted scope when the response has one', () => {
      const token = parseTokenResponse(
        { access_token: SECRET, token_type: 'bearer', scope: 'public  orders' },
        { requestedScope: ['public', 'private'] },
      );
      expect([...token.scope]).toEqual(['public', 'orders']);
    });

    it('takes the requested scope when the response has none (RFC 6749 §3.3)', () => {
      const token = parseTokenResponse({ access_token: SECRET, token_type: 'bearer' }, { requestedScope: ['private'] });
      expect(token.scope.toString()).toBe('private');
    });

    it('reads a requested scope given as a string as a space-delimited scope string, not as letters', () => {
      const one = parseTokenResponse({ access_token: SECRET, token_type: 'bearer' }, { requestedScope: 'public' });
      expect([...one.scope]).toEqual(['public']);
      const two = parseTokenResponse(
        { access_token: SECRET, token_type: 'bearer' },
        { requestedScope: 'public  private' },
      );
      expect([...two.scope]).toEqual(['public', 'private']);
    });

    it('throws ConfigurationError for a requested scope outside the §3.3 grammar, even when the response has a scope', () => {
      for (const scope of [undefined, 'public']) {
        expect(() =>
          parseTokenResponse({ access_token: SECRET, token_type: 'bearer', scope }, { requestedScope: 'public a"b' }),
        ).toThrow(ConfigurationError);
        expect(() =>
          parseTokenResponse({ access_token: SECRET, token_type: 'bearer', scope }, { requestedScope: ['a b'] }),
        ).toThrow(ConfigurationError);
      }
    });

    it('defaults now to the current time', () => {
      const before = Date.now();
      const token = parseTokenResponse({ access_token: SECRET, token_type: 'bearer', expires_in: 60 });
      expect(token.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
      expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    });
  });

  describe('when expires_in is absent', () => {
    it('takes the expiry from the exp claim of a JWT access token', () => {
      const exp = Math.floor(NOW / 1000) + 600;
      const token = parseTokenResponse(
        { access_token: jwt({ sub: 'u', exp }), token_type: 'bearer' },
        { now: () => NOW },
      );
      expect(token.expiresAt).toBe(exp * 1000);
    });

    it('prefers expires_in over the exp claim when both are given', () => {
      const exp = Math.floor(NOW / 1000) + 600;
      const token = parseTokenResponse(
        { access_token: jwt({ exp }), token_type: 'bearer', expires_in: 60 },
        { now: () => NOW },
      );
      expect(token.expiresAt).toBe(NOW + 60_000);
    });

    it.each([
      ['an opaque token', SECRET],
      ['a JWT without exp', jwt({ sub: 'u' })],
      ['a JWT whose exp is a string', jwt({ exp: '1700000000' })],
      ['a JWT whose payload is not JSON', `${base64url({})}.bm90LWpzb24.sig`],
      ['a JWT whose payload is not base64url', 'a.!!!.c'],
      ['a token with four dots', 'a.b.c.d'],
    ])('leaves the expiry unknown for %s', (_, accessToken) => {
      const token = parseTokenResponse({ access_token: accessToken, token_type: 'bearer' }, { now: () => NOW });
      expect(token.expiresAt).toBeUndefined();
    });
  });

  describe('with an invalid body', () => {
    it.each([
      ['a missing access_token', { token_type: 'bearer' }, 'access_token', 'is required'],
      ['an empty access_token', { access_token: '', token_type: 'bearer' }, 'access_token', 'must not be empty'],
      ['a numeric access_token', { access_token: 42, token_type: 'bearer' }, 'access_token', 'must be a string'],
      [
        'an access_token with a space',
        { access_token: `${SECRET} x`, token_type: 'bearer' },
        'access_token',
        'must be visible ASCII without spaces',
      ],
      ['a missing token_type', { access_token: SECRET }, 'token_type', 'is required'],
      ['a numeric token_type', { access_token: SECRET, token_type: 1 }, 'token_type', 'must be a string'],
      ['token_type "mac"', { access_token: SECRET, token_type: 'mac' }, 'token_type', 'must be "bearer"'],
      [
        'a negative expires_in',
        { access_token: SECRET, token_type: 'bearer', expires_in: -1 },
        'expires_in',
        'positive',
      ],
      ['a zero expires_in', { access_token: SECRET, token_type: 'bearer', expires_in: 0 }, 'expires_in', 'positive'],
      [
        'a fractional expires_in',
        { access_token: SECRET, token_type: 'bearer', expires_in: 1.5 },
        'expires_in',
        'whole',
      ],
      [
        'a negative string expires_in',
        { access_token: SECRET, token_type: 'bearer', expires_in: '-5' },
        'expires_in',
        'positive',
      ],
      [
        'a non-numeric expires_in',
        { access_token: SECRET, token_type: 'bearer', expires_in: 'soon' },
        'expires_in',
        'positive',
      ],
      [
        'a scope with a quote',
        { access_token: SECRET, token_type: 'bearer', scope: 'a "b"' },
        'scope',
        'RFC 6749 §3.3',
      ],
      ['an array', [SECRET], 'access_token', 'is required'],
      ['null', null, '', 'must be a JSON object'],
      ['an HTML page', `<html><body>${SECRET}</body></html>`, '', 'must be a JSON object'],
    ])('throws InvalidResponseError for %s, naming the field', (_, json, path, message) => {
      const error = parseError(json);
      expect(error.code).toBe('invalid_response');
      expect(error.status).toBe(200);
      const issue = error.issues.find((candidate) => candidate.path === path);
      expect(issue?.message).toContain(message);
      expect(error.message).toContain(path || '(body)');
      expect(error.message).toMatch(/Check that the URL points at the right server/);
    });

    it.each([
      ['an exponent', '1e3'],
      ['leading space', ' 60'],
      ['a decimal point', '60.0'],
      ['16 digits', '1234567890123456'],
    ])('refuses a string expires_in with %s', (_, expiresIn) => {
      const error = parseError({ access_token: SECRET, token_type: 'bearer', expires_in: expiresIn });
      expect(error.issues).toEqual([{ path: 'expires_in', message: 'must be a positive whole number of seconds' }]);
    });

    it.each([
      ['an unsafe integer', 2 ** 53],
      ['null', null],
      ['a boolean', true],
    ])('refuses %s as expires_in', (_, expiresIn) => {
      const error = parseError({ access_token: SECRET, token_type: 'bearer', expires_in: expiresIn });
      expect(error.issues).toEqual([{ path: 'expires_in', message: 'must be a positive whole number of seconds' }]);
    });

    it('reports every problem at once', () => {
      const error = parseError({ access_token: '', token_type: 'mac', expires_in: 'x' });
      expect(error.issues.map((issue) => issue.path)).toEqual(['access_token', 'token_type', 'expires_in']);
    });

    it('never shows a value of the body in its message, fields, JSON, stack or inspection', () => {
      for (const json of [
        { access_token: `${SECRET} with space`, token_type: 'bearer' },
        { access_token: SECRET, token_type: `mac-${SECRET}` },
        { access_token: SECRET, token_type: 'bearer', expires_in: SECRET },
        { access_token: SECRET, token_type: 'bearer', scope: `"${SECRET}"` },
        `not json ${SECRET}`,
      ]) {
        const error = parseError(json);
        for (const shown of [
          error.message,
          String(error.stack),
          JSON.stringify(error),
          JSON.stringify(error.issues),
          inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        ]) {
          expect(shown).not.toContain(SECRET);
        }
      }
    });
  });

  describe('on arbitrary input (property)', () => {
    const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, fc.jsonValue());
    const nearlyValid = fc.record(
      {
        access_token: field(fc.string({ minLength: 0, maxLength: 40 })),
        token_type: field(fc.constantFrom('bearer', 'Bearer', 'BEARER', 'mac', '')),
        expires_in: field(
          fc.oneof(fc.integer(), fc.double(), fc.maxSafeNat(), fc.maxSafeNat().map(String), fc.string()),
        ),
        scope: field(fc.string()),
      },
      { requiredKeys: [] },
    );

    it('returns a printable token or throws a GrantKitError, never anything else', () => {
      let parsed = 0;
      let refused = 0;
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue(), nearlyValid), (json) => {
          try {
            const token = parseTokenResponse(json, { now: () => NOW });
            expect(String(token)).toMatch(/^AccessToken\(bearer, /);
            expect(JSON.stringify(token)).toBe(JSON.stringify(String(token)));
            parsed += 1;
          } catch (error) {
            expect(isGrantKitError(error, 'invalid_response')).toBe(true);
            refused += 1;
          }
        }),
        { numRuns: 1_000 },
      );
      // Both branches must have run, or the property says nothing about one of them.
      expect(parsed).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    });

    it('parses every valid body into a token with its value, expiry and scope', () => {
      const visibleAscii = fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
        minLength: 1,
        maxLength: 60,
      });
      const scopeToken = fc.string({
        unit: fc
          .integer({ min: 0x21, max: 0x7e })
          .filter((code) => code !== 0x22 && code !== 0x5c)
          .map((code) => String.fromCharCode(code)),
        minLength: 1,
        maxLength: 12,
      });
      const valid = fc.record(
        {
          access_token: visibleAscii,
          token_type: fc.constantFrom('bearer', 'Bearer', 'BEARER', 'bEaReR'),
          expires_in: fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }).map(String)),
          scopes: fc.uniqueArray(scopeToken, { maxLength: 6 }),
        },
        { requiredKeys: ['access_token', 'token_type', 'scopes'] },
      );
      fc.assert(
        fc.property(valid, ({ scopes, ...body }) => {
          const token = parseTokenResponse({ ...body, scope: scopes.join(' ') }, { now: () => NOW });
          expect(token.expose()).toBe(body.access_token);
          expect([...token.scope]).toEqual(scopes);
          if (body.expires_in !== undefined) expect(token.expiresAt).toBe(NOW + Number(body.expires_in) * 1000);
        }),
        { numRuns: 500 },
      );
    });
  });
});
