import { ConfigurationError } from '@grantkit/core';
import * as messages from '#messages';

/**
 * What SmartConnect's password grant needs: the user's sign-in and the
 * `client_id` / `client_secret` of a REST application registration
 * (System » API Settings » REST Application Registrations). All four are secrets
 * to keep out of source code; read them from the environment or a vault.
 */
export interface SmartConnectCredentials {
  /** The user's email address. */
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

const fields = ['username', 'password', 'clientId', 'clientSecret'] as const;

/**
 * Checks that each credential is a non-empty string. Messages name the field,
 * never its value.
 */
export function assertCredentials(value: unknown, prefix: string): SmartConnectCredentials {
  if (typeof value !== 'object' || value === null) {
    // Only the client's `credentials` option can be something else than an object here.
    throw new ConfigurationError(messages.credentialsMissing);
  }
  const source = value as Record<string, unknown>;
  for (const field of fields) {
    const item = source[field];
    if (typeof item !== 'string' || item.length === 0) {
      throw new ConfigurationError(messages.credentialMissing(prefix + field));
    }
  }
  return {
    username: source.username as string,
    password: source.password as string,
    clientId: source.clientId as string,
    clientSecret: source.clientSecret as string,
  };
}
