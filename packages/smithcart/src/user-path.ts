import { ConfigurationError } from '@grantkit/core';
import * as messages from '#messages';

function segment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new ConfigurationError(messages.pathSegmentInvalid(what));
  }
  try {
    return encodeURIComponent(value);
  } catch {
    throw new ConfigurationError(messages.pathSegmentNotUnicode(what));
  }
}

/**
 * Builds the path of a private SmithCart resource, `/users/{username}/…`,
 * percent-encoding each segment on its own, so that `/`, `?`, `#` and `%` in a
 * value stay inside that segment instead of changing the path. `me` names the
 * authenticated user.
 *
 * @example
 * ```ts
 * userPath('me', 'orders.json'); // '/users/me/orders.json'
 * userPath('me', 'orders', '42', 'line_items.json'); // '/users/me/orders/42/line_items.json'
 * userPath('a/b', 'profile.json'); // '/users/a%2Fb/profile.json'
 * userPath('me', '..', 'admin'); // throws ConfigurationError
 * ```
 * @throws {ConfigurationError} when a segment is empty, `.`, `..` or not well-formed Unicode.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.3
 */
export function userPath(username: string, ...segments: string[]): string {
  const parts = [segment(username, 'The username'), ...segments.map((part) => segment(part, 'Each path segment'))];
  return `/users/${parts.join('/')}`;
}
