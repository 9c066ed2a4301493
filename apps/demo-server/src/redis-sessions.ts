import { randomBytes } from 'node:crypto';
import type { RedisTokenStore } from '@grantkit/redis';
import { createSmartConnectClient } from '@grantkit/smartconnect';
import type { SmartConnectSettings } from './config.js';
import { errorSummary } from './error-summary.js';
import { type RedisEvalClient, RedisSessionStore } from './redis-session-store.js';
import type { LogLine } from './request-logger.js';
import { scopedTokenStore } from './scoped-token-store.js';
import type { SessionCipher } from './session-cipher.js';
import type { SessionStoreOptions } from './session-store.js';
import type { Flash, SessionBackend, SmartConnectSession } from './smartconnect-routes.js';

/** What {@link redisSessionBackend} needs. */
export interface RedisSessionBackendOptions {
  client: RedisEvalClient;
  cipher: SessionCipher;
  tokenStore: RedisTokenStore;
  settings: SmartConnectSettings;
  sessions?: SessionStoreOptions | undefined;
  fetch?: typeof fetch | undefined;
  log: LogLine;
}

/** What a Redis session keeps, sealed: enough for any instance to rebuild the session's client. */
interface SealedSession {
  username: string;
  password: string;
  tokenScope: string;
}

/**
 * Sessions and flashes in Redis, and SmartConnect clients whose tokens live
 * in the shared `RedisTokenStore` (one token per session, see
 * {@link scopedTokenStore}). Every instance on the same Redis with the same
 * `GRANTKIT_TOKEN_KEY` serves every session: a session holds the user name,
 * the password (the password grant needs it to renew) and the token's scope,
 * sealed with AES-256-GCM; the token is encrypted by the token store.
 */
export function redisSessionBackend(options: RedisSessionBackendOptions): SessionBackend {
  const { client, cipher, tokenStore, settings, log } = options;
  const open = (username: string, password: string, tokenScope: string): SmartConnectSession => ({
    username,
    client: createSmartConnectClient({
      ...settings.target,
      credentials: { username, password, clientId: settings.clientId, clientSecret: settings.clientSecret },
      tokenStore: scopedTokenStore(tokenStore, tokenScope),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    shared: { password, tokenScope },
  });
  const onUnreadable = (error: unknown) => log(`A session in Redis was unreadable: ${errorSummary(error)}`);
  const sessions = new RedisSessionStore<SmartConnectSession>({
    ...options.sessions,
    client,
    name: 'session',
    codec: {
      encode: ({ username, shared }, context) => {
        if (!shared) throw new TypeError('Only sessions opened by this backend can be stored in Redis.');
        return cipher.seal(JSON.stringify({ username, ...shared } satisfies SealedSession), context);
      },
      decode: async (text, context) => {
        const { username, password, tokenScope } = JSON.parse(await cipher.open(text, context)) as SealedSession;
        return open(username, password, tokenScope);
      },
    },
    onEvict: (session) => {
      session.client.signOut().catch((error: unknown) => log(`Signing out a session failed: ${errorSummary(error)}`));
    },
    onUnreadable,
  });
  const flashes = new RedisSessionStore<Flash>({
    client,
    name: 'flash',
    idleTimeoutMs: 60_000,
    maxSessionsPerUser: 1,
    codec: {
      encode: (flash, context) => cipher.seal(JSON.stringify(flash), context),
      decode: async (text, context) => JSON.parse(await cipher.open(text, context)) as Flash,
    },
    onUnreadable,
  });
  return {
    sessions,
    flashes,
    openSession: (username, password) => open(username, password, randomBytes(16).toString('base64url')),
  };
}
