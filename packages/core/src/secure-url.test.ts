import { ConfigurationError } from '@grantkit/core';
import { assertSecureUrl } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';

describe('assertSecureUrl', () => {
  it.each([
    'https://api.example.com',
    'https://api.example.com:8443/v1/',
    'http://127.0.0.1:3000',
    'http://127.8.9.10/',
    'http://[::1]:8080/token',
    'http://localhost:3000',
    'http://LOCALHOST/',
  ])('accepts %s and returns it parsed', (url) => {
    const parsed = assertSecureUrl(url, 'baseUrl');
    expect(parsed).toBeInstanceOf(URL);
    expect(parsed.href).toBe(new URL(url).href);
  });

  it('accepts a URL object', () => {
    expect(assertSecureUrl(new URL('https://a.example/x'), 'baseUrl').pathname).toBe('/x');
  });

  it.each([
    'http://api.example.com',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://localhost.example.com',
    'http://[::2]',
    'ftp://127.0.0.1',
    'ws://localhost',
  ])('throws ConfigurationError naming the option for %s', (url) => {
    expect(() => assertSecureUrl(url, 'tokenUrl')).toThrow(ConfigurationError);
    expect(() => assertSecureUrl(url, 'tokenUrl')).toThrow(/`tokenUrl` must use https:/);
  });

  it('throws ConfigurationError for a relative URL, without echoing it', () => {
    expect(() => assertSecureUrl('/token?client_secret=s3cr3t', 'baseUrl')).toThrow(
      '`baseUrl` is not an absolute URL; give one such as https://api.example.com.',
    );
  });

  it('throws ConfigurationError for credentials in the URL, without echoing them', () => {
    let message = '';
    try {
      assertSecureUrl('https://user:p4ssw0rd@api.example.com', 'baseUrl');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('`baseUrl` must not contain credentials; pass them as options instead.');
  });
});
