import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { AccessToken, ConfigurationError, isGrantKitError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

const SECRET = 'tok-SeCrEt-9f8e7d6c5b4a3210';
const EXPIRES_AT = Date.UTC(2026, 10, 22, 12, 0, 0);

function makeToken(): AccessToken {
  return new AccessToken({ value: SECRET, expiresAt: EXPIRES_AT, scope: ['public', 'private'] });
}

/** What a real Node `console.log` writes to its stream. */
function consoleLogOutput(...values: unknown[]): string {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  new Console({ stdout: stream, stderr: stream, colorMode: false }).log(...values);
  return written;
}

describe('AccessToken', () => {
  describe('when it is printed', () => {
    const token = makeToken();
    const summary = 'AccessToken(bearer, scope "public private", expires 2026-11-22T12:00:00.000Z)';

    it('shows a redacted summary under String() and template literals', () => {
      expect(String(token)).toBe(summary);
      expect(`${token}`).toBe(summary);
      expect(`${token}`).not.toContain(SECRET);
    });

    it('shows the summary, not the value, under JSON.stringify, also when nested', () => {
      expect(JSON.stringify(token)).toBe(JSON.stringify(summary));
      expect(JSON.stringify({ session: { token } })).not.toContain(SECRET);
    });

    it('shows no character run of the value under util.inspect at any depth or with hidden fields', () => {
      for (const options of [{}, { depth: Number.POSITIVE_INFINITY, showHidden: true }, { customInspect: false }]) {
        const shown = inspect({ nested: [{ token }] }, options);
        expect(shown).not.toContain(SECRET);
        expect(shown).not.toContain('SeCrEt');
      }
      expect(inspect(token)).toBe(summary);
    });

    it('writes the summary to stdout under console.log', () => {
      const written = consoleLogOutput(token, { token });
      expect(written).toContain(summary);
      expect(written).not.toContain(SECRET);
    });

    it('stays redacted as the cause of an error', () => {
      const error = new ConfigurationError('Something failed; try again.', { cause: token });
      for (const shown of [
        inspect(error, { depth: Number.POSITIVE_INFINITY }),
        JSON.stringify(error),
        String(error.stack),
        String(error.cause),
        consoleLogOutput(error),
      ]) {
        expect(shown).not.toContain(SECRET);
      }
    });

    it('says "expiry unknown" when the lifetime is unknown', () => {
      expect(String(new AccessToken({ value: SECRET }))).toBe('AccessToken(bearer, scope "", expiry unknown)');
    });

    it('still prints when the expiry is beyond what Date can represent', () => {
      const far = new AccessToken({ value: SECRET, expiresAt: 9e18 });
      expect(String(far)).toBe('AccessToken(bearer, scope "", expires 9000000000000000000 ms after the epoch)');
    });
  });

  describe('expose() and authorizationHeader()', () => {
    it('return the raw value and the Bearer header built from it', () => {
      const token = makeToken();
      expect(token.expose()).toBe(SECRET);
      expect(token.authorizationHeader()).toBe(`Bearer ${SECRET}`);
    });
  });

  describe('its public fields', () => {
    it('are tokenType "bearer", expiresAt and scope as a ScopeSet', () => {
      const token = makeToken();
      expect(token.tokenType).toBe('bearer');
      expect(token.expiresAt).toBe(EXPIRES_AT);
      expect([...token.scope]).toEqual(['public', 'private']);
    });
  });

  describe('when its scope is given as a string', () => {
    it('reads it as a space-delimited scope string (RFC 6749 §3.3), not as letters', () => {
      const token = new AccessToken({ value: SECRET, scope: 'public  orders' });
      expect([...token.scope]).toEqual(['public', 'orders']);
    });

    it('throws ConfigurationError for a token outside the §3.3 grammar, without the value', () => {
      expect(() => new AccessToken({ value: SECRET, scope: 'public a"b' })).toThrow(ConfigurationError);
    });
  });

  describe('isExpired(now, skewMs)', () => {
    const token = new AccessToken({ value: SECRET, expiresAt: 10_000 });

    it('is false before expiresAt and true from expiresAt on', () => {
      expect(token.isExpired(9_999)).toBe(false);
      expect(token.isExpired(10_000)).toBe(true);
      expect(token.isExpired(10_001)).toBe(true);
    });

    it('counts a token expiring within the skew as expired', () => {
      expect(token.isExpired(8_999, 1_000)).toBe(false);
      expect(token.isExpired(9_000, 1_000)).toBe(true);
    });

    it('defaults now to the current time', () => {
      expect(new AccessToken({ value: SECRET, expiresAt: Date.now() + 60_000 }).isExpired()).toBe(false);
      expect(new AccessToken({ value: SECRET, expiresAt: Date.now() - 1 }).isExpired()).toBe(true);
    });

    it('is never true when the lifetime is unknown', () => {
      expect(new AccessToken({ value: SECRET }).isExpired(Number.MAX_SAFE_INTEGER, 1_000)).toBe(false);
    });
  });

  describe('toStorage() and AccessToken.fromStorage()', () => {
    it('round-trip the value, the expiry and the scopes', () => {
      const stored = makeToken().toStorage();
      expect(stored).toEqual({
        accessToken: SECRET,
        tokenType: 'bearer',
        expiresAt: EXPIRES_AT,
        scope: 'public private',
      });
      const restored = AccessToken.fromStorage(JSON.parse(JSON.stringify(stored)));
      expect(restored.expose()).toBe(SECRET);
      expect(restored.expiresAt).toBe(EXPIRES_AT);
      expect(restored.scope.toString()).toBe('public private');
    });

    it('round-trip a token without a known expiry', () => {
      const stored = new AccessToken({ value: SECRET }).toStorage();
      expect(stored).not.toHaveProperty('expiresAt');
      expect(AccessToken.fromStorage(stored).expiresAt).toBeUndefined();
    });

    it.each([
      ['null', null],
      ['a string', SECRET],
      ['an empty token', { accessToken: '', tokenType: 'bearer', scope: '' }],
      ['a token with a space', { accessToken: `${SECRET} x`, tokenType: 'bearer', scope: '' }],
      ['another token type', { accessToken: SECRET, tokenType: 'mac', scope: '' }],
      ['a non-numeric expiry', { accessToken: SECRET, tokenType: 'bearer', expiresAt: 'soon', scope: '' }],
      ['an invalid scope', { accessToken: SECRET, tokenType: 'bearer', scope: 'a"b' }],
    ])('throws ConfigurationError for %s, without echoing what was stored', (_, stored) => {
      let caught: unknown;
      try {
        AccessToken.fromStorage(stored);
      } catch (error) {
        caught = error;
      }
      expect(isGrantKitError(caught, 'configuration_error')).toBe(true);
      expect((caught as Error).message).toMatch(/delete it from the token store and sign in again/);
      for (const shown of [inspect(caught, { depth: Number.POSITIVE_INFINITY }), JSON.stringify(caught)]) {
        expect(shown).not.toContain(SECRET);
      }
    });
  });

  describe('when it is built from bad input', () => {
    it.each([
      ['an empty value', { value: '' }],
      ['a value with a space', { value: `${SECRET} extra` }],
      ['a value with a line break', { value: `${SECRET}\r\nX-Injected: 1` }],
      ['a non-finite expiry', { value: SECRET, expiresAt: Number.NaN }],
      ['an invalid scope', { value: SECRET, scope: ['has space'] }],
    ])('throws ConfigurationError for %s, without echoing the value', (_, init) => {
      expect(() => new AccessToken(init)).toThrow(ConfigurationError);
      try {
        new AccessToken(init);
      } catch (error) {
        expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
      }
    });
  });

  describe('immutability', () => {
    it('is frozen, and its fields cannot be reassigned', () => {
      const token = makeToken();
      expect(Object.isFrozen(token)).toBe(true);
      expect(() => {
        (token as { expiresAt: number | undefined }).expiresAt = 0;
      }).toThrow(TypeError);
      expect(() => {
        (token as unknown as { value: string }).value = 'other';
      }).toThrow(TypeError);
      expect(token.expiresAt).toBe(EXPIRES_AT);
      expect(token.expose()).toBe(SECRET);
    });

    it('keeps the value out of its own properties, spreads and structured clones', () => {
      const token = makeToken();
      const props = Reflect.ownKeys(token).map((key) =>
        String((token as unknown as Record<PropertyKey, unknown>)[key]),
      );
      expect(props.join(' ')).not.toContain(SECRET);
      expect(JSON.stringify({ ...token })).not.toContain(SECRET);
      expect(inspect(structuredClone({ ...token }), { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
    });
  });
});
