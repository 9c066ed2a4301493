import { isSensitiveName, redactBody, redactUrl } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

describe('redactUrl', () => {
  it('removes credentials and the fragment, and redacts secret-looking query values', () => {
    expect(
      redactUrl('https://user:pw@api.example.com/cb?access_token=abc&client_secret=def&page=2#access_token=ghi'),
    ).toBe('https://api.example.com/cb?access_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D&page=2');
  });

  it('keeps an ordinary URL as it is', () => {
    expect(redactUrl('https://api.example.com/orders.json?page=2&per_page=10')).toBe(
      'https://api.example.com/orders.json?page=2&per_page=10',
    );
  });

  it('says "(invalid URL)" rather than echoing something it cannot parse', () => {
    expect(redactUrl('not a url token=abc')).toBe('(invalid URL)');
  });
});

describe('redactBody', () => {
  it('parses JSON and redacts fields with secret-looking names at any depth', () => {
    expect(
      redactBody(
        JSON.stringify({
          error: 'invalid_grant',
          password: 'pw',
          nested: { refresh_token: 'r', list: [{ apiKey: 'k' }] },
        }),
      ),
    ).toEqual({
      error: 'invalid_grant',
      password: '[REDACTED]',
      nested: { refresh_token: '[REDACTED]', list: [{ apiKey: '[REDACTED]' }] },
    });
  });

  it('scrubs the given secrets from every string, JSON or text', () => {
    expect(redactBody('{"message":"token abcd1234 is invalid"}', ['abcd1234'])).toEqual({
      message: 'token [REDACTED] is invalid',
    });
    expect(redactBody('<p>abcd1234</p>', ['abcd1234'])).toBe('<p>[REDACTED]</p>');
  });

  it('cuts long text', () => {
    const text = redactBody('x'.repeat(5_000));
    expect(typeof text === 'string' && text.length).toBe(2_001);
  });

  it('stops at a deep nesting level instead of walking it', () => {
    const deep = JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { h: { i: 'x' } } } } } } } } });
    expect(JSON.stringify(redactBody(deep))).toBe('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":"[REDACTED]"}}}}}}}}');
  });
});

describe('isSensitiveName', () => {
  it.each(['password', 'client_secret', 'access_token', 'Authorization', 'api-key', 'code', 'code_verifier'])(
    'flags %s',
    (name) => {
      expect(isSensitiveName(name)).toBe(true);
    },
  );

  it.each(['error', 'error_description', 'scope', 'state', 'page', 'zipcode'])('does not flag %s', (name) => {
    expect(isSensitiveName(name)).toBe(false);
  });
});
