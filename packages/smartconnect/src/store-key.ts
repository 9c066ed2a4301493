import type { SmartConnectCredentials } from './credentials.js';

// Versioned and specific to this use, so the digest means nothing anywhere else.
const DOMAIN = 'grantkit/smartconnect token-store key v1';

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  // Stryker disable next-line Regex: a SHA-256 digest ends in exactly one '=', the only one, so /=+/ and /=$/ strip the same.
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * The {@link TokenStore} key of one SmartConnect identity:
 * `smartconnect:` + base64url(SHA-256) over the API root and all four
 * credentials. A stored token is found only with the very credentials that
 * obtained it (another password or client secret misses the store and must
 * sign in), and the key holds no credential in clear. The fields are encoded
 * as a JSON array, so no two different sets of fields give the same input.
 */
export async function deriveStoreKey(root: URL, credentials: SmartConnectCredentials): Promise<string> {
  const { clientId, clientSecret, username, password } = credentials;
  const input = JSON.stringify([DOMAIN, root.href, clientId, clientSecret, username, password]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(input));
  return `smartconnect:${base64url(new Uint8Array(digest))}`;
}
