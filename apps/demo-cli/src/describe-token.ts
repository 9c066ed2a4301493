import type { AccessToken } from '@grantkit/core';
import { formatInstant } from './format-instant.js';

/** "expires at 2026-11-23T11:00:00.000Z" or "has no stated lifetime", for human output. */
export function describeExpiry(token: AccessToken): string {
  return token.expiresAt === undefined ? 'has no stated lifetime' : `expires at ${formatInstant(token.expiresAt)}`;
}

/** The ISO instant of a token's expiry, or `null`, for `--json` output. */
export function expiryJson(token: AccessToken): string | null {
  return token.expiresAt === undefined ? null : formatInstant(token.expiresAt);
}
