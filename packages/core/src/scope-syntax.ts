import { ScopeSet } from './scope-set.js';

/**
 * scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): visible ASCII except `"` and `\`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is a valid RFC 6749 §3.3 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Splits a `scope` string into its tokens. Runs of spaces are tolerated (some
 * servers send them); anything else outside the §3.3 grammar is refused.
 * Returns the index of the first invalid token instead of throwing, so each
 * caller raises the error that fits its context.
 */
export function splitScope(text: string): { ok: true; scopes: ScopeSet } | { ok: false; position: number } {
  const tokens = text.split(' ').filter((token) => token !== '');
  const position = tokens.findIndex((token) => !isScopeToken(token));
  return position === -1 ? { ok: true, scopes: ScopeSet.of(tokens) } : { ok: false, position };
}
