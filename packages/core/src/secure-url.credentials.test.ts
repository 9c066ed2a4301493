import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './errors/configuration-error.js';
import { assertSecureUrl } from './secure-url.js';

describe('assertSecureUrl with half of the credentials in the URL', () => {
  it.each([
    ['only a password', 'https://:hunter2@api.example.com'],
    ['only a username', 'https://ada.lovelace@api.example.com'],
  ])('refuses a URL with %s, without echoing it', (_name, url) => {
    expect(() => assertSecureUrl(url, 'baseUrl')).toThrow(
      new ConfigurationError('`baseUrl` must not contain credentials; pass them as options instead.'),
    );
  });
});
