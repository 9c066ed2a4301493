import { join } from 'node:path';
import { AccessToken, type StoredAccessToken, type TokenStore } from '@grantkit/core';
import { PrivateJsonFile } from './private-json-file.js';

/** Which sign-in a session belongs to; `--mock` sessions are kept apart from real ones. */
export type SessionName = 'smartconnect' | 'smartconnect-mock' | 'smithcart' | 'smithcart-mock';

/** What the command line remembers about a SmartConnect sign-in. Never the password or the client secret. */
export interface SmartConnectSession {
  /** The API root the token was issued by; `undefined` for the in-process mock, whose port changes. */
  baseUrl?: string | undefined;
  username: string;
  clientId: string;
  token: StoredAccessToken;
  /**
   * The token-store key `createSmartConnectClient` gave the token under (a
   * digest of the API root and the four credentials), when it renewed it; a
   * token from `login` has none.
   */
  tokenKey?: string | undefined;
}

/** What the command line remembers about a SmithCart sign-in. */
export interface SmithCartSession {
  /** The API root; `undefined` for the in-process mock. */
  baseUrl?: string | undefined;
  /** The user who approved, when the granted scopes allowed asking. */
  username?: string | undefined;
  token: StoredAccessToken;
}

interface SessionsContent {
  version: 1;
  sessions: Partial<Record<SessionName, unknown>>;
}

function sessionsOf(content: unknown): SessionsContent['sessions'] {
  if (typeof content !== 'object' || content === null) return {};
  const { sessions } = content as Partial<SessionsContent>;
  return typeof sessions === 'object' && sessions !== null ? { ...sessions } : {};
}

/**
 * `sessions.json` in the command line's home directory: one session per
 * provider (and per mock), each with its access token. Readable by the user
 * only (mode 0600, written atomically); it never holds a password or a client secret.
 */
export class SessionFile {
  readonly #file: PrivateJsonFile;

  constructor(home: string) {
    this.#file = new PrivateJsonFile(join(home, 'sessions.json'));
  }

  get path(): string {
    return this.#file.path;
  }

  async read(name: 'smartconnect' | 'smartconnect-mock'): Promise<SmartConnectSession | undefined>;
  async read(name: 'smithcart' | 'smithcart-mock'): Promise<SmithCartSession | undefined>;
  async read(name: SessionName): Promise<SmartConnectSession | SmithCartSession | undefined> {
    const session = sessionsOf(await this.#file.read())[name];
    return typeof session === 'object' && session !== null
      ? (session as SmartConnectSession | SmithCartSession)
      : undefined;
  }

  /** Whether a session of that name is saved. */
  async has(name: SessionName): Promise<boolean> {
    return Object.hasOwn(sessionsOf(await this.#file.read()), name);
  }

  /** Saves a session, keeping the others as they are in the file at this moment. */
  async write(name: SessionName, session: SmartConnectSession | SmithCartSession): Promise<void> {
    await this.#file.update((content) => {
      const sessions = sessionsOf(content);
      sessions[name] = session;
      return { version: 1, sessions } satisfies SessionsContent;
    });
  }

  /**
   * Forgets a session (only when `matches` accepts it, if given); `false` when
   * there was none. The file goes when its last session does.
   */
  async remove(name: SessionName, matches: (session: unknown) => boolean = () => true): Promise<boolean> {
    let removed = false;
    await this.#file.update((content) => {
      const sessions = sessionsOf(content);
      if (!Object.hasOwn(sessions, name) || !matches(sessions[name])) return content;
      delete sessions[name];
      removed = true;
      return Object.keys(sessions).length === 0 ? undefined : ({ version: 1, sessions } satisfies SessionsContent);
    });
    return removed;
  }
}

/**
 * The {@link TokenStore} view of one SmartConnect session, for
 * `createSmartConnectClient`. The file keeps one sign-in per provider, and
 * its token is found only under the key it was saved with: the client's key
 * is a digest of the API root and the four credentials, so another password,
 * client secret or host misses the saved token and has to sign in.
 */
export function smartConnectTokenStore(
  file: SessionFile,
  name: 'smartconnect' | 'smartconnect-mock',
  session: SmartConnectSession,
): TokenStore {
  return {
    async get(key) {
      const current = await file.read(name);
      return current?.tokenKey === key ? AccessToken.fromStorage(current.token) : undefined;
    },
    async set(key, token) {
      await file.write(name, { ...session, token: token.toStorage(), tokenKey: key });
    },
    async delete(key) {
      await file.remove(name, (current) => (current as Partial<SmartConnectSession>).tokenKey === key);
    },
  };
}
