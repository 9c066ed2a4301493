import { AccessToken, ConfigurationError, type StoredAccessToken } from '@grantkit/core';
import { assertSecureUrl } from '@grantkit/core/internal';
import * as messages from '#messages';
import { type AuthorizationRequestOptions, createAuthorizationRequest, stateTtl } from '../authorize.js';
import { type CallbackResult, handleCallback } from '../callback.js';
import { clearCallbackFragment } from '../clear-callback-fragment.js';
import { authorizeInWindow, type PopupWindow } from './authorize-in-popup.js';
import { reservePopup } from './reserve-popup.js';
import { isSharedFailure, rebuildFailure, type SharedFailure, shareFailure } from './shared-failure.js';
import { withTabLock } from './tab-lock.js';

/** Options of {@link createSmithCartSession}. */
export interface SmithCartSessionOptions
  extends Pick<
    AuthorizationRequestOptions,
    'baseUrl' | 'clientId' | 'redirectUri' | 'scope' | 'stateStore' | 'authorizePath' | 'stateTtlMs'
  > {
  /**
   * How a tab that needs a token asks the user: `'redirect'` (the default) sends this tab to SmithCart, and
   * `redirectUri` must be a page that creates the session and calls `completeRedirect()`; `'popup'` runs
   * {@link authorizeInPopup} (`redirectUri` is then the popup's callback page).
   */
  flow?: 'redirect' | 'popup' | undefined;
  /** With `flow: 'popup'`: milliseconds before the popup times out. Default 300,000. */
  popupTimeout?: number | undefined;
  /** With `flow: 'popup'`: the `window.open` features. */
  popupFeatures?: string | undefined;
  /** How long a new tab waits for another tab's token before it counts as having none. Default 250 ms. */
  askTimeout?: number | undefined;
  /** A token this close to its expiry counts as expired, in ms. Default 10,000. */
  expirySkew?: number | undefined;
  /** The current time in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** A sign-in shared by the app's tabs; see {@link createSmithCartSession}. */
export interface SmithCartSession {
  /** The token this tab holds, while it is valid; `undefined` when signed out or expired. */
  readonly token: AccessToken | undefined;
  /**
   * The current token: this tab's, else another tab's, else a new authorization. However many tabs
   * ask at once, exactly one of them starts it and the others wait for its result (its token, or
   * its error). With the redirect flow the authorizing tab leaves the page, so its promise never settles.
   */
  getToken(): Promise<AccessToken>;
  /**
   * On the page that `redirectUri` names: completes a redirect callback in `href` (default
   * `location.href`), clears the fragment and shares the token with every tab. Resolves `undefined`
   * when `href` carries no callback.
   */
  completeRedirect(href?: string): Promise<CallbackResult | undefined>;
  /** Forgets the token in every tab of the app. SmithCart has no revocation: the token stays valid until it expires. */
  signOut(): void;
  /** Calls `listener` whenever this tab's token changes (signed in, replaced, signed out). Returns the unsubscribe. */
  subscribe(listener: (token: AccessToken | undefined) => void): () => void;
  /**
   * Stops listening to the other tabs and lets go of the authorization lock; a `getToken()` still waiting (a
   * redirect under way) rejects with `ConfigurationError`, as does every later one.
   */
  close(): void;
}

const RESULT_SETTLE_MS = 100;

type TabMessage =
  | { kind: 'ask' }
  | { kind: 'token'; token: StoredAccessToken }
  | { kind: 'pending'; since: number; until: number }
  | { kind: 'failed'; failure: SharedFailure }
  | { kind: 'signout' };

/**
 * A SmithCart sign-in for a browser app with several tabs. The token lives in
 * memory only (never `localStorage`); a new tab asks the others over a
 * same-origin `BroadcastChannel` and a tab that has one answers; signing out in
 * one tab signs out all; when no tab has a valid token, exactly one tab starts
 * the authorization (Web Locks, or a `BroadcastChannel` election where there
 * are none) and the others wait for its result. A reload of the last tab
 * loses the token: the user authorizes again.
 *
 * @example
 * ```ts
 * const session = createSmithCartSession({
 *   baseUrl: 'https://api.example.com',
 *   clientId: 'Y2XPZW50Q31A',
 *   redirectUri: 'https://www.example.com/popup-callback.html',
 *   scope: ['private', 'orders'],
 *   flow: 'popup',
 * });
 * session.subscribe((token) => render(token ? 'connected' : 'disconnected'));
 * connectButton.onclick = () => session.getToken();
 * disconnectButton.onclick = () => session.signOut();
 * const smithcart = createSmithCartClient({ baseUrl: 'https://api.example.com', token: () => session.getToken() });
 * ```
 * @throws {ConfigurationError} outside a browser (no `BroadcastChannel`) or on bad options.
 */
export function createSmithCartSession(options: SmithCartSessionOptions): SmithCartSession {
  if (typeof BroadcastChannel !== 'function') {
    throw new ConfigurationError(messages.sessionNeedsBroadcastChannel);
  }
  const now = options.now ?? Date.now;
  const skew = options.expirySkew ?? 10_000;
  const askTimeout = options.askTimeout ?? 250;
  const pendingFor = stateTtl(options.stateTtlMs);
  const key = `${assertSecureUrl(options.baseUrl, 'baseUrl').origin}|${options.clientId}`;
  const channel = new BroadcastChannel(`grantkit.smithcart.session.${key}`);
  const listeners = new Set<(token: AccessToken | undefined) => void>();
  let token: AccessToken | undefined;
  let pendingUntil = 0;
  // When this tab last learnt an outcome (a token, a failure, a sign-out): an older "pending" is stale.
  let settledAt = 0;
  let pendingSince = 0;
  let failure: { at: number; error: Error } | undefined;
  const wakeAll: Array<() => void> = [];
  let closed = false;
  // Ends this tab's hold of the authorization lock while it leaves for SmithCart (set by the redirect flow).
  let endRedirect: (() => void) | undefined;

  const post = (message: TabMessage) => channel.postMessage(message);
  const wake = () => {
    for (const resume of wakeAll.splice(0)) resume();
  };
  const nextEvent = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      wakeAll.push(done);
    });
  const valid = () => (token && !token.isExpired(now(), skew) ? token : undefined);
  const settle = () => {
    pendingUntil = 0;
    settledAt = now();
  };
  const change = (next: AccessToken | undefined) => {
    token = next;
    for (const listener of listeners) listener(next);
    wake();
  };
  const adopt = (next: AccessToken) => {
    settle();
    change(next);
    post({ kind: 'token', token: next.toStorage() });
  };
  const fail = (error: unknown) => {
    const shared = shareFailure(error);
    settle();
    failure = { at: now(), error: error instanceof Error ? error : new Error(String(error)) };
    if (shared) post({ kind: 'failed', failure: shared });
    wake();
  };

  channel.onmessage = (event: { data: TabMessage }) => {
    const message = event.data;
    if (message?.kind === 'ask') {
      const current = valid();
      if (current) post({ kind: 'token', token: current.toStorage() });
      else if (pendingUntil > now()) post({ kind: 'pending', since: pendingSince, until: pendingUntil });
    } else if (message?.kind === 'token') {
      let received: AccessToken;
      try {
        received = AccessToken.fromStorage(message.token);
      } catch {
        return;
      }
      if (received.isExpired(now(), skew)) return;
      const current = valid();
      if (current && current.expose() === received.expose()) return;
      if (current && (received.expiresAt ?? Number.POSITIVE_INFINITY) < (current.expiresAt ?? 0)) return;
      settle();
      change(received);
    } else if (message?.kind === 'pending' && message.since > settledAt && message.until > pendingUntil) {
      pendingSince = message.since;
      pendingUntil = Math.min(message.until, now() + pendingFor);
      wake();
    } else if (message?.kind === 'failed' && isSharedFailure(message.failure)) {
      settle();
      failure = { at: now(), error: rebuildFailure(message.failure) };
      wake();
    } else if (message?.kind === 'signout') {
      settle();
      if (token) change(undefined);
    }
  };

  // A new tab asks the others, and waits a moment for an answer before it counts as having no token.
  post({ kind: 'ask' });
  const asked = nextEvent(askTimeout);

  const request = (): AuthorizationRequestOptions => ({
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scope: options.scope,
    stateStore: options.stateStore,
    authorizePath: options.authorizePath,
    stateTtlMs: pendingFor,
    now,
  });

  const authorize = async (reserved: PopupWindow | null): Promise<AccessToken> => {
    if (options.flow === 'popup') {
      try {
        const { token: granted } = await authorizeInWindow(
          {
            ...request(),
            ...(options.popupTimeout ? { timeout: options.popupTimeout } : {}),
            ...(options.popupFeatures ? { popupFeatures: options.popupFeatures } : {}),
          },
          reserved,
        );
        adopt(granted);
        return granted;
      } catch (error) {
        fail(error);
        throw error;
      } finally {
        // Held a moment longer, so that the result reaches the waiting tabs before one of them takes the lock.
        await new Promise((resolve) => setTimeout(resolve, RESULT_SETTLE_MS));
      }
    }
    const { url } = await createAuthorizationRequest(request());
    pendingSince = now();
    pendingUntil = pendingSince + pendingFor;
    post({ kind: 'pending', since: pendingSince, until: pendingUntil });
    (globalThis as unknown as { location: { assign(url: string): void } }).location.assign(url);
    // This tab is leaving for SmithCart and holds the lock till it is gone (or closed); its callback page shares the
    // token with the tabs still waiting.
    return new Promise<never>((_, reject) => {
      endRedirect = () => reject(new ConfigurationError(messages.sessionClosed));
    });
  };

  const tokenFor = async (startedAt: number, reserved: PopupWindow | null): Promise<AccessToken> => {
    await asked;
    for (;;) {
      if (closed) throw new ConfigurationError(messages.sessionClosed);
      const current = valid();
      if (current) return current;
      if (failure && failure.at >= startedAt) throw failure.error;
      if (pendingUntil > now()) {
        await nextEvent(pendingUntil - now());
        continue;
      }
      const outcome = await withTabLock(`grantkit.smithcart.authorize.${key}`, async () => {
        const held = valid();
        if (held) return held;
        if (failure && failure.at >= startedAt) throw failure.error;
        if (pendingUntil > now()) return undefined;
        return authorize(reserved);
      });
      if (outcome) return outcome;
    }
  };

  return {
    get token() {
      return valid();
    },
    async getToken() {
      if (closed) throw new ConfigurationError(messages.sessionClosed);
      const startedAt = now();
      // Before any await: the popup the click may need, closed again unless this tab authorizes in it.
      const reserved = options.flow === 'popup' && !valid() ? reservePopup(options.popupFeatures) : null;
      try {
        return await tokenFor(startedAt, reserved);
      } finally {
        reserved?.close();
      }
    },
    async completeRedirect(href?: string) {
      const location = (globalThis as { location?: { href: string } }).location;
      const callback = href ?? location?.href ?? '';
      if (!/#.*\b(access_token|error|state)=/.test(callback)) return undefined;
      if (href === undefined) clearCallbackFragment();
      try {
        const result = await handleCallback(callback, { stateStore: options.stateStore, now });
        adopt(result.token);
        return result;
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    signOut() {
      settle();
      post({ kind: 'signout' });
      change(undefined);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      channel.close();
      endRedirect?.();
      wake();
    },
  };
}
