import { ScopeSet } from './scope-set.js';
import { isScopeToken } from './scope-token.js';

/**
 * Splits a `scope` string into its tokens. Runs of spaces are tolerated (some
 * servers send them); anything else outside the §3.3 grammar is refused.
 * Returns the index of the first invalid token instead of throwing, so each
 * caller raises the error that fits its context.
 *
 * @example
 * ```ts
 * splitScope('public  orders'); // { ok: true, scopes: ScopeSet(public orders) }
 * splitScope('public a"b'); // { ok: false, position: 1 }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function splitScope(text: string): { ok: true; scopes: ScopeSet } | { ok: false; position: number } {
  const tokens = text.split(' ').filter((token) => token !== '');
  const position = tokens.findIndex((token) => !isScopeToken(token));
  return position === -1 ? { ok: true, scopes: ScopeSet.of(tokens) } : { ok: false, position };
}
