import { usageError } from './context.js';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks an address given with a flag or an environment variable before
 * grantkit sees it, so that a refusal names what the user typed (`--base-url`,
 * `SMITHCART_BASE_URL`) rather than the library's option. The rule is
 * grantkit's: https:, or plain http: on a loopback host.
 */
export function secureUrlOption(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`${name} must be an absolute address such as https://api.example.com, not "${value}".`);
  }
  if (url.username || url.password) throw usageError(`${name} must not contain a user name or password.`);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))) {
    throw usageError(
      `${name} must use https: (plain http: only for localhost, 127.0.0.0/8 and [::1]); got ${url.protocol}//${url.host}.`,
    );
  }
  return value;
}
