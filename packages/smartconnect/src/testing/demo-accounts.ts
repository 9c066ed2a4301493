/** A user the mock SmartConnect knows. */
export interface MockSmartConnectUser {
  /** The user's email address, compared exactly. */
  username: string;
  password: string;
  /** Shown by `GET /api/v1/me`. Defaults to the username. */
  displayName?: string | undefined;
}

/** A REST application registration the mock SmartConnect knows. */
export interface MockSmartConnectClient {
  clientId: string;
  clientSecret: string;
}

/**
 * The user every mock SmartConnect knows unless `users` is given. Demo values:
 * print them in demos, never use them for anything real.
 *
 * @example
 * ```ts
 * console.log(`Sign in as ${SMARTCONNECT_DEMO_USER.username} / ${SMARTCONNECT_DEMO_USER.password}`);
 * ```
 */
export const SMARTCONNECT_DEMO_USER: Readonly<MockSmartConnectUser> = Object.freeze({
  username: 'demo@example.com',
  password: 'demo-password',
  displayName: 'Demo User',
});

/**
 * The REST application registration every mock SmartConnect knows unless
 * `clients` is given. Demo values only.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = SMARTCONNECT_DEMO_CLIENT;
 * ```
 */
export const SMARTCONNECT_DEMO_CLIENT: Readonly<MockSmartConnectClient> = Object.freeze({
  clientId: 'grantkit-demo',
  clientSecret: 'demo-client-secret',
});
