import { ConfigurationError, PopupBlockedError, PopupClosedError, TimeoutError } from '@grantkit/core';
import * as messages from '#messages';
import { type AuthorizationRequestOptions, createAuthorizationRequest } from '../authorize.js';
import { type CallbackResult, handleCallback } from '../callback.js';
import { isPopupMessage, POPUP_CHANNEL } from './popup-message.js';

/** Options of {@link authorizeInPopup}: those of {@link createAuthorizationRequest}, plus the popup's. */
export interface PopupAuthorizationOptions extends AuthorizationRequestOptions {
  /** Milliseconds before the popup is closed and `TimeoutError` thrown. Default 300,000 (5 minutes). */
  timeout?: number | undefined;
  /** The `window.open` features of the popup. Default `popup,width=520,height=720`. */
  popupFeatures?: string | undefined;
}

// The parts of `window` and of the popup's window this module uses (structural, so no DOM types are published).
export interface PopupWindow {
  readonly closed: boolean;
  location: { href: string };
  close(): void;
}
interface OpenerWindow {
  open(url: string, target: string, features: string): PopupWindow | null;
  addEventListener(type: 'message', listener: (event: PopupMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: PopupMessageEvent) => void): void;
}
interface PopupMessageEvent {
  readonly origin: string;
  readonly source: unknown;
  readonly data: unknown;
}

const CLOSED_POLL_MS = 250;

/** The `window.open` features of the consent popup. */
export const popupFeatures = (features: string | undefined): string => features ?? 'popup,width=520,height=720';

/**
 * Runs SmithCart's consent page in a popup instead of redirecting the app's
 * tab, so the app keeps its state. Call it from a click (browsers block
 * popups opened otherwise). The callback page, your `redirectUri`, calls
 * {@link handOverPopupCallback}; this window accepts its message only from
 * that popup and from the redirect URI's exact origin, then runs
 * {@link handleCallback} (state, duplicates, `error=`, token) and closes the popup.
 *
 * @example
 * ```ts
 * button.addEventListener('click', async () => {
 *   try {
 *     const { token, denied } = await authorizeInPopup({
 *       baseUrl: 'https://api.example.com',
 *       clientId: 'Y2XPZW50Q31A',
 *       redirectUri: 'https://www.example.com/popup-callback.html',
 *       scope: ['private', 'orders'],
 *     });
 *     useToken(token);
 *   } catch (error) {
 *     if (isGrantKitError(error, 'popup_blocked')) location.assign('/connect'); // the redirect flow instead
 *     else if (isGrantKitError(error, 'popup_closed')) showNotice('Connection cancelled.');
 *     else throw error;
 *   }
 * });
 * ```
 * @throws {PopupBlockedError} when the browser did not open the popup.
 * @throws {PopupClosedError} when the user closed the popup before it finished.
 * @throws {TimeoutError} when no callback came within `timeout`.
 * @throws {StateMismatchError | OAuthError | InvalidResponseError} as {@link handleCallback} does.
 * @throws {ConfigurationError} on bad options, as {@link createAuthorizationRequest} does, or outside a browser.
 */
export function authorizeInPopup(options: PopupAuthorizationOptions): Promise<CallbackResult> {
  return authorizeInWindow(options);
}

/**
 * {@link authorizeInPopup} in the window `reserved` when given, one that was opened earlier, while a click's
 * user activation still counted (WebKit drops it in a Web Locks callback); else in a popup opened now.
 */
export async function authorizeInWindow(
  options: PopupAuthorizationOptions,
  reserved?: PopupWindow | null,
): Promise<CallbackResult> {
  const host = globalThis as unknown as Partial<OpenerWindow>;
  const timeout = options.timeout ?? 300_000;
  if (!(timeout > 0 && Number.isFinite(timeout))) {
    throw new ConfigurationError(messages.popupTimeoutInvalid);
  }
  if (typeof host.open !== 'function' || typeof host.addEventListener !== 'function') {
    throw new ConfigurationError(messages.popupNeedsWindow);
  }
  // Opened before anything is awaited, while the click's user activation is fresh.
  const popup =
    reserved && !reserved.closed ? reserved : host.open('about:blank', '_blank', popupFeatures(options.popupFeatures));
  if (!popup) throw new PopupBlockedError();
  let state: string;
  let expectedOrigin: string;
  try {
    const request = await createAuthorizationRequest(options);
    state = request.state;
    expectedOrigin = new URL(String(options.redirectUri)).origin;
    popup.location.href = request.url;
  } catch (error) {
    popup.close();
    throw error;
  }
  const callbackOptions = { stateStore: options.stateStore, now: options.now };
  return new Promise<CallbackResult>((resolve, reject) => {
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(POPUP_CHANNEL) : undefined;
    let closedOnce = false;
    const finish = (outcome: () => Promise<CallbackResult>) => {
      host.removeEventListener?.('message', onMessage);
      channel?.close();
      clearInterval(poll);
      clearTimeout(timer);
      popup.close();
      outcome().then(resolve, reject);
    };
    const onMessage = (event: PopupMessageEvent) => {
      // Exact origin and the very popup we opened: any other window's message is ignored, not an error.
      if (event.origin !== expectedOrigin || event.source !== popup || !isPopupMessage(event.data)) return;
      const { href } = event.data;
      finish(() => handleCallback(href, callbackOptions));
    };
    host.addEventListener?.('message', onMessage);
    if (channel) {
      // The fallback for a callback page that lost its opener; same-origin only, and only for this state.
      channel.onmessage = (event: { data: unknown }) => {
        const { data } = event;
        if (!isPopupMessage(data) || stateOf(data.href) !== state) return;
        finish(() => handleCallback(data.href, callbackOptions));
      };
    }
    const poll = setInterval(() => {
      // Seen closed twice in a row: a message posted just before closing has had time to arrive.
      if (!popup.closed) return;
      if (closedOnce) finish(() => Promise.reject(new PopupClosedError()));
      closedOnce = true;
    }, CLOSED_POLL_MS);
    const timer = setTimeout(
      () => finish(() => Promise.reject(new TimeoutError(messages.consentPopup, timeout))),
      timeout,
    );
  });
}

function stateOf(href: string): string | null {
  try {
    return new URLSearchParams(new URL(href).hash.slice(1)).get('state');
  } catch {
    return null;
  }
}
