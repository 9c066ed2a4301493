import { isSensitiveName, redactBody, redactUrl } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';

describe('redactUrl', () => {
  it('removes credentials and the fragment, and redacts secret-looking query values', () => {
    expect(
      redactUrl('https://user:pw@api.example.com/cb?access_token=abc&client_secret=def&page=2#access_token=ghi'),
    ).toBe('https://api.example.com/cb?access_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D&page=2');
  });

  it.each(['jwt', 'id_jwt', 'sid', 'session', 'session_id', 'key', 'sig_key', 'auth', 'x-auth'])(
    'redacts the value of a %s parameter',
    (name) => {
      expect(redactUrl(`https://api.example.com/cb?${name}=s3cr3t-value&page=2`)).toBe(
        `https://api.example.com/cb?${name}=%5BREDACTED%5D&page=2`,
      );
    },
  );

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

  describe('when a server echoes a secret back in another encoding', () => {
    const secret = 'pw LEAK+canary/7d41c2!&=é"\\<\'~*😀';
    const form = new URLSearchParams({ s: secret }).toString().slice(2);
    const html = secret.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

    it.each([
      ['as is', secret],
      ['percent-encoded with encodeURIComponent', encodeURIComponent(secret)],
      ['form-encoded, a space as +', form],
      ['form-encoded with lower-case hex', form.replace(/%[0-9A-F]{2}/g, (byte) => byte.toLowerCase())],
      ['percent-encoded with every character escaped', encodeEveryByte(secret)],
      ['percent-encoded but with ! and ~ left as they are', form.replace('%21', '!').replace('%7E', '~')],
      ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
      ['JSON-escaped to ASCII with \\u escapes', asciiJson(secret)],
      ['JSON-escaped with an escaped solidus', JSON.stringify(secret).slice(1, -1).replace('/', '\\/')],
      ['HTML-escaped with numeric references', html],
      [
        'HTML-escaped with named references',
        secret.replace('&', '&amp;').replace('<', '&lt;').replace('"', '&quot;').replace("'", '&apos;'),
      ],
    ])('scrubs it when it comes back %s', (_name, echoed) => {
      const text = `grant_type=password&password=${echoed}&client_id=app`;
      expect(redactBody(text, [secret])).toBe('grant_type=password&password=[REDACTED]&client_id=app');
      expect(redactBody(JSON.stringify({ error_description: text }), [secret])).toEqual({
        error_description: 'grant_type=password&password=[REDACTED]&client_id=app',
      });
    });

    it('scrubs the encoded secret inside a JSON text that is not valid JSON', () => {
      const cut = `{"error_description":"password=${form}","received":{"body":"${asciiJson(secret)}`;
      expect(redactBody(cut, [secret])).toBe(
        '{"error_description":"password=[REDACTED]","received":{"body":"[REDACTED]',
      );
    });

    it('scrubs every secret given, a longer one that contains a shorter one as a whole', () => {
      const other = 'cs&LEAK=canary%93';
      const longer = `${other} more`;
      const text = `a=${encodeURIComponent(other)}&b=${new URLSearchParams({ s: longer }).toString().slice(2)}&c=${secret}`;
      expect(redactBody(text, [other, secret, longer])).toBe('a=[REDACTED]&b=[REDACTED]&c=[REDACTED]');
    });

    it('reads only well-formed UTF-8 in percent escapes: an overlong or cut-off sequence stays as it is', () => {
      expect(redactBody('a=%C0%AFsecret-1&b=%E2%82', ['/secret-1'])).toBe('a=%C0%AFsecret-1&b=%E2%82');
      expect(redactBody('a=%2Fsecret-1&b=%E2%82%AC', ['/secret-1', '€abc'])).toBe('a=[REDACTED]&b=%E2%82%AC');
    });

    it('leaves text that only resembles the secret alone', () => {
      expect(redactBody('pw LEAK canary/7d41c2', [secret])).toBe('pw LEAK canary/7d41c2');
      expect(redactBody('abc=abc', ['abc'])).toBe('abc=abc');
    });

    it('scrubs a secret that straddles the point where long text is cut', () => {
      const text = `${'x'.repeat(1_990)}${form}`;
      expect(text.length).toBeGreaterThan(2_000);
      expect(redactBody(text, [secret])).toBe(`${'x'.repeat(1_990)}[REDACTED]`);
    });
  });

  it('scrubs a repetitive secret from 1 MiB of its own letter in linear time, not quadratic', () => {
    // A quadratic search takes minutes here (a backtracking pattern took 170 s); a linear one, milliseconds.
    // The bound is far from both, so a loaded machine cannot make this fail.
    const secret = `${'a'.repeat(1_000)}b`;
    const started = performance.now();
    const body = redactBody('a'.repeat(1024 * 1024), [secret]) as string;
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(body.startsWith('aaaa')).toBe(true);
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

/** Percent-encodes every UTF-8 byte of `text`, letters and digits included. */
function encodeEveryByte(text: string): string {
  return Array.from(new TextEncoder().encode(text), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** `JSON.stringify` as an ASCII-only encoder writes a string: everything outside ASCII as \\uXXXX. */
function asciiJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
