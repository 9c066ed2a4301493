import { ConfigurationError } from '@grantkit/core';
import { createSmithCartSession, MemoryStateStore, type StateEntry, type StateStore } from '@grantkit/smithcart';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

// Node has BroadcastChannel, so the session runs here; the redirect flow leaves through `location.assign`,
// which these tests catch. The cross-tab behaviour is proven in real Chromium tabs (test/e2e/session.test.ts).
const NOW = Date.UTC(2020, 0, 1);
const BASE = {
  baseUrl: 'https://api.example.com',
  clientId: 'Y2XPZW50Q31A',
  redirectUri: 'https://www.example.com/callback.html',
  scope: 'private orders',
} as const;

const host = globalThis as { location?: unknown };
const sessions: Array<{ close(): void }> = [];

afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
  delete host.location;
});

/** Catches the redirect to SmithCart; resolves with the authorization URL. */
function catchRedirect(): Promise<URL> {
  return new Promise((resolve) => {
    host.location = { assign: (url: string) => resolve(new URL(url)) };
  });
}

function recordingStore(): StateStore & { saved: StateEntry[] } {
  const inner = new MemoryStateStore({ now: () => NOW });
  const saved: StateEntry[] = [];
  return {
    saved,
    save: (entry) => {
      saved.push(entry);
      inner.save(entry);
    },
    take: (state) => inner.take(state),
  };
}

// A redirecting tab holds its lock for good (it is leaving the page), and Node's Web Locks are process-wide:
// each test's sessions get a client ID of their own, so that no test waits for an earlier one's lock.
let app = 0;
beforeEach(() => {
  app += 1;
});

function session(options: Partial<Parameters<typeof createSmithCartSession>[0]> = {}) {
  const created = createSmithCartSession({ ...BASE, clientId: `CLIENT${app}`, askTimeout: 1, ...options });
  sessions.push(created);
  return created;
}

/** Starts the redirect flow: its getToken() settles only when the session is closed (after each test). */
function leaveForSmithCart(leaving: ReturnType<typeof session>): void {
  leaving.getToken().catch(() => undefined);
}

describe('createSmithCartSession', () => {
  describe('with a `now` of its own', () => {
    it('dates the state it saves by that clock', async () => {
      const stateStore = recordingStore();
      const redirected = catchRedirect();
      leaveForSmithCart(session({ stateStore, now: () => NOW, stateTtlMs: 60_000 }));
      await redirected;
      expect(stateStore.saved.map((entry) => entry.expiresAt)).toEqual([NOW + 60_000]);
    });

    it('checks the callback and dates the token by that clock', async () => {
      const stateStore = recordingStore();
      const redirected = catchRedirect();
      const first = session({ stateStore, now: () => NOW });
      leaveForSmithCart(first);
      const state = (await redirected).searchParams.get('state') ?? '';
      // Years after NOW by the real clock: the state and the token count as expired unless `now` is used.
      const result = await session({ stateStore, now: () => NOW + 1_000 }).completeRedirect(
        `${BASE.redirectUri}#access_token=abc&token_type=bearer&expires_in=3600&state=${state}`,
      );
      expect(result?.token.expiresAt).toBe(NOW + 1_000 + 3_600_000);
    });
  });

  describe('close()', () => {
    it('ends a redirect under way: its getToken() rejects with ConfigurationError and the next session takes the lock', async () => {
      const redirected = catchRedirect();
      const leaving = session();
      const pending = leaving.getToken();
      await redirected;
      // A second call waits for the redirect's outcome.
      const waiting = leaving.getToken();
      leaving.close();
      await expect(pending).rejects.toThrow(ConfigurationError);
      await expect(waiting).rejects.toThrow(ConfigurationError);
      await expect(leaving.getToken()).rejects.toThrow(/closed/);

      const next = catchRedirect();
      leaveForSmithCart(session());
      expect((await next).searchParams.get('client_id')).toBe(`CLIENT${app}`);
    });
  });

  describe('when `baseUrl` is not a URL', () => {
    it('throws ConfigurationError naming the option', () => {
      expect(() => session({ baseUrl: 'api.example.com' })).toThrow(ConfigurationError);
      expect(() => session({ baseUrl: 'api.example.com' })).toThrow(/`baseUrl`/);
    });
  });

  describe('when `baseUrl` is plain http: on a public host', () => {
    it('throws ConfigurationError before anything is sent', () => {
      expect(() => session({ baseUrl: 'http://api.example.com' })).toThrow(ConfigurationError);
    });
  });

  describe('`stateTtlMs`', () => {
    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
      'refuses %p with ConfigurationError when the session is created, as createAuthorizationRequest does',
      (stateTtlMs) => {
        expect(() => session({ stateTtlMs })).toThrow(ConfigurationError);
      },
    );

    it('passes a positive value on to the authorization request', async () => {
      const stateStore = recordingStore();
      const redirected = catchRedirect();
      leaveForSmithCart(session({ stateStore, now: () => NOW, stateTtlMs: 1 }));
      await redirected;
      expect(stateStore.saved.map((entry) => entry.expiresAt)).toEqual([NOW + 1]);
    });
  });
});
