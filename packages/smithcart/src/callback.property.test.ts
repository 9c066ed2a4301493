import { isGrantKitError } from '@grantkit/core';
import { handleCallback, MemoryStateStore, SMITHCART_SCOPES } from '@grantkit/smithcart';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const STATE = 'c3RhdGUtZm9yLXByb3BlcnR5LXRlc3Rz';
const NAMES = ['access_token', 'token_type', 'expires_in', 'scope', 'state', 'error', 'error_description', 'error_uri'];

/** A recognisable token, so that a test can tell whether an error shows it. */
const token = fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,40}$/).map((value) => `tok_${value}`);

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    STATE,
    'bearer',
    'Bearer',
    '3600',
    '-1',
    '1e3',
    'private orders',
    'public+users',
    '%',
    '%zz',
    '%E0%A4%A',
  ),
  token,
);

const pair = fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string()), value);

/** Fragments built from OAuth parameter names and hostile values, some encoded, some raw. */
const fragment = fc
  .tuple(fc.array(pair, { maxLength: 8 }), fc.boolean(), fc.constantFrom('', '#', '?', 'https://www.example.com/cb#'))
  .map(([pairs, encode, prefix]) => {
    const body = encode
      ? new URLSearchParams(pairs).toString()
      : pairs.map(([name, text]) => `${name}=${text}`).join('&');
    return `${prefix}${body}`;
  });

const anyInput = fc.oneof(fragment, fc.string(), fc.string({ unit: 'binary' }), fc.webUrl({ withFragments: true }));

async function outcome(input: string, options: Parameters<typeof handleCallback>[1]): Promise<unknown> {
  try {
    return await handleCallback(input, options);
  } catch (error) {
    return error;
  }
}

describe('handleCallback with arbitrary input', () => {
  it('returns a result or throws a typed GrantKitError, never anything else (expectedState)', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        const result = await outcome(input, { expectedState: STATE, scope: 'private', now: () => NOW });
        if (result instanceof Error) expect(isGrantKitError(result)).toBe(true);
        else expect(result).toHaveProperty('token');
      }),
      { numRuns: 1000 },
    );
  });

  it('returns a result or throws a typed GrantKitError, never anything else (state store)', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        const stateStore = new MemoryStateStore();
        stateStore.save({
          state: STATE,
          scope: 'private orders',
          redirectUri: 'https://www.example.com/cb',
          expiresAt: NOW + 1,
        });
        const result = await outcome(input, { stateStore, now: () => NOW });
        if (result instanceof Error) expect(isGrantKitError(result)).toBe(true);
        else expect(result).toHaveProperty('granted');
      }),
      { numRuns: 1000 },
    );
  });

  it('never shows the access token in an error, whatever else the fragment holds', async () => {
    await fc.assert(
      fc.asyncProperty(token, fc.array(pair, { maxLength: 6 }), fc.boolean(), async (secret, others, withState) => {
        const pairs: [string, string][] = [...others, ['access_token', secret]];
        if (withState) pairs.push(['state', STATE]);
        const result = await outcome(`#${new URLSearchParams(pairs)}`, { expectedState: STATE, now: () => NOW });
        if (result instanceof Error) {
          expect(isGrantKitError(result)).toBe(true);
          for (const view of [result.message, JSON.stringify(result), String(result.stack)]) {
            expect(view).not.toContain(secret);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('gives back exactly the token and scopes a well-formed callback carries (round trip)', async () => {
    const scopes = fc.subarray([...SMITHCART_SCOPES.scopes], { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(token, scopes, fc.integer({ min: 1, max: 10 ** 9 }), async (secret, granted, expiresIn) => {
        const params = new URLSearchParams({
          access_token: secret,
          token_type: 'bearer',
          expires_in: String(expiresIn),
          scope: granted.join(' '),
          state: STATE,
        });
        const result = await handleCallback(`https://www.example.com/cb#${params}`, {
          expectedState: STATE,
          scope: SMITHCART_SCOPES.scopes,
          now: () => NOW,
        });
        expect(result.token.expose()).toBe(secret);
        expect(result.token.expiresAt).toBe(NOW + expiresIn * 1000);
        expect([...result.granted]).toEqual(granted);
        expect([...result.denied]).toEqual(SMITHCART_SCOPES.scopes.filter((scope) => !granted.includes(scope)));
      }),
      { numRuns: 1000 },
    );
  });
});
