import type { AccessToken } from '@grantkit/core';

/** "expires at 2026-11-23T11:00:00.000Z" or "has no stated lifetime", for human output. */
export function describeExpiry(token: AccessToken): string {
  return token.expiresAt === undefined
    ? 'has no stated lifetime'
    : `expires at ${new Date(token.expiresAt).toISOString()}`;
}

/** The ISO instant of a token's expiry, or `null`, for `--json` output. */
export function expiryJson(token: AccessToken): string | null {
  return token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString();
}
