import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './errors/configuration-error.js';
import { assertSecureUrl } from './secure-url.js';

// The loopback exception is decided on the host the URL parser gives, which is the host fetch connects to.
describe('assertSecureUrl at the edge of the loopback exception', () => {
  it.each([
    ['127.0.0.1 followed by a domain', 'http://127.0.0.1.evil.example'],
    ['127.0.0.1 glued to a domain', 'http://127.0.0.1evil.example'],
    ['127.0.0.1 with a port, followed by a domain', 'http://127.0.0.1.evil.example:8080/token'],
    ['a percent-encoded dot after 127.0.0.1', 'http://127.0.0.1%2eevil.example'],
    ['a public name that resolves to 127.0.0.1', 'http://127.0.0.1.nip.io'],
    ['127 followed by empty labels, which the URL parser keeps as a name', 'http://127.../'],
    ['localhost as a subdomain', 'http://localhost.evil.example'],
    ['localhost as a prefix', 'http://localhostevil.example'],
    ['localhost as a suffix', 'http://evil-localhost'],
    // Loopback through IPv4-mapped IPv6 is refused: only 127.0.0.0/8, [::1] and localhost are named exceptions.
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]'],
    ['an IPv4-mapped IPv6 loopback in hex', 'http://[::ffff:7f00:1]/'],
    ['the unspecified address', 'http://0.0.0.0'],
    ['[::1] with another name after it', 'http://[::1].evil'],
  ])('refuses plain http to %s (%s)', (_name, url) => {
    expect(() => assertSecureUrl(url, 'baseUrl')).toThrow(ConfigurationError);
  });

  it.each([
    'http://127.0.0.1.evil.example',
    'http://127.0.0.1evil.example',
    'http://localhost.evil.example',
    'http://[::ffff:127.0.0.1]',
  ])('says that %s must use https:', (url) => {
    expect(() => assertSecureUrl(url, 'baseUrl')).toThrow(/^`baseUrl` must use https: /);
  });

  it.each([
    ['decimal', 'http://2130706433:8080/token'],
    ['hexadecimal', 'http://0x7f000001:8080/token'],
    ['dotted hexadecimal', 'http://0x7f.0.0.1:8080/token'],
    ['octal', 'http://0177.0.0.1:8080/token'],
    ['whole octal', 'http://017700000001:8080/token'],
    ['short', 'http://127.1:8080/token'],
    ['trailing-dot', 'http://127.0.0.1.:8080/token'],
  ])('accepts the %s form of 127.0.0.1 (%s), which the URL parser makes 127.0.0.1', (_name, url) => {
    expect(assertSecureUrl(url, 'baseUrl').href).toBe('http://127.0.0.1:8080/token');
  });

  it('accepts the long form of [::1]', () => {
    expect(assertSecureUrl('http://[0:0:0:0:0:0:0:1]:8080/', 'baseUrl').href).toBe('http://[::1]:8080/');
  });

  it('accepts the last address of 127.0.0.0/8', () => {
    expect(assertSecureUrl('http://127.255.255.255/', 'baseUrl').hostname).toBe('127.255.255.255');
  });
});
