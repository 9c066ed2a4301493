/**
 * The `exp` claim of a JWT-shaped token, in epoch milliseconds, or `undefined`.
 * Read for timing only: the signature is not (and cannot be) checked here, so
 * nothing else in the token is trusted.
 *
 * @example
 * ```ts
 * jwtExpiry(token.expose()); // 1795000000000, or undefined for an opaque token
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  try {
    // atob decodes unpadded base64 and throws outside its alphabet. Its bytes are read as Latin-1, not UTF-8:
    // the JSON stays well-formed either way (UTF-8's bytes are all ≥ 0x80), and only the number `exp` is read.
    const { exp } = JSON.parse(atob((parts[1] as string).replace(/-/g, '+').replace(/_/g, '/')));
    return parts.length === 3 && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
