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
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const exp = typeof claims === 'object' && claims !== null ? (claims as { exp?: unknown }).exp : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
