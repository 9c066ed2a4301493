/**
 * scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): visible ASCII except `"` and `\`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Whether `value` is a valid RFC 6749 §3.3 scope token.
 *
 * @example
 * ```ts
 * isScopeToken('orders'); // true
 * isScopeToken('a"b'); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}
