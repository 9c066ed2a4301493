import { AccessToken, InvalidResponseError, type ResponseIssue, type ScopeSet } from '@grantkit/core';
import { jwtExpiry, splitScope, TOKEN_VALUE } from '@grantkit/core/internal';
import * as messages from '#messages';

/**
 * The token of a callback fragment, by the rules of `parseTokenResponse` (RFC 6749 §4.2.2, §5.1), checked
 * by hand: the fragment holds only strings, so the browser bundle needs no schema library.
 * Without `scope`, the requested scopes were granted; `scope=` empty grants none.
 * @throws {InvalidResponseError} naming each bad field, never its value.
 */
export function tokenFromFragment(params: ReadonlyMap<string, string>, requested: ScopeSet, now: number): AccessToken {
  const issues: ResponseIssue[] = [];
  const check = (path: string, ok: unknown, message: string): boolean => {
    if (!ok) issues.push({ path, message });
    return !!ok;
  };
  const value = params.get('access_token');
  const type = params.get('token_type');
  const lifetime = params.get('expires_in');
  const scope = params.get('scope');
  const scopes = scope === undefined ? undefined : splitScope(scope);
  const bad = scopes?.ok === false ? scopes.position : -1;
  check('access_token', value, 'is required') &&
    check('access_token', TOKEN_VALUE.test(value as string), 'must be visible ASCII without spaces (RFC 6750 §2.1)');
  check('token_type', type, 'is required') &&
    check('token_type', type?.toLowerCase() === 'bearer', 'must be "bearer" (RFC 6750)');
  check(
    'expires_in',
    lifetime === undefined || (/^\d{1,15}$/.test(lifetime) && +lifetime),
    'must be a positive whole number of seconds',
  );
  check('scope', bad < 0, `has an invalid scope token at position ${bad + 1} (RFC 6749 §3.3)`);
  if (issues.length || !value) {
    throw new InvalidResponseError(messages.fragmentTokenInvalid, { issues });
  }
  return new AccessToken({
    value,
    expiresAt: lifetime === undefined ? jwtExpiry(value) : now + +lifetime * 1000,
    scope: scopes?.ok ? scopes.scopes : requested,
  });
}
