import * as messages from '#messages';
import { ConfigurationError } from './errors/configuration-error.js';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses an endpoint URL and requires `https:`, except on loopback hosts
 * (`localhost`, `127.0.0.0/8`, `[::1]`) where `http:` is allowed for local
 * development and tests.
 *
 * @example
 * ```ts
 * assertSecureUrl('https://api.example.com', 'baseUrl'); // URL
 * assertSecureUrl('http://api.example.com', 'baseUrl'); // throws ConfigurationError
 * ```
 * @throws {ConfigurationError} naming the option, before any request is sent.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function assertSecureUrl(url: string | URL, optionName: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(messages.urlNotAbsolute(optionName));
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError(messages.urlHasCredentials(optionName));
  }
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname));
  if (!secure) {
    throw new ConfigurationError(messages.urlNotSecure(optionName, parsed));
  }
  return parsed;
}
