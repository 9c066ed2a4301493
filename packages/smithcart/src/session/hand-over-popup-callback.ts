import { clearCallbackFragment } from '../clear-callback-fragment.js';
import { POPUP_CHANNEL, POPUP_MESSAGE, type PopupMessage } from './popup-message.js';

/**
 * Runs on the callback page that {@link authorizeInPopup} opened: hands the
 * callback (the URL with its `#access_token=…` or `#error=…` fragment) to the
 * app window that opened the popup (which then closes it), and clears the fragment.
 * The message goes only to a window of the callback page's own origin
 * (`postMessage` with an exact target origin), or, when the opener is gone,
 * over a same-origin `BroadcastChannel`. The opener checks the state as
 * {@link handleCallback} always does. Returns `false` where there is nothing
 * to hand over (no fragment, or not a browser).
 *
 * @example
 * ```ts
 * // popup-callback.html, registered as a redirect URI with SmithCart
 * import { handOverPopupCallback } from '@grantkit/smithcart';
 * handOverPopupCallback();
 * ```
 */
export function handOverPopupCallback(): boolean {
  const { location, opener, close } = globalThis as unknown as {
    location?: { href: string; hash: string; origin: string };
    opener?: { postMessage(message: unknown, targetOrigin: string): void; closed?: boolean } | null;
    close?: () => void;
  };
  if (!location?.hash) return false;
  const message: PopupMessage = { type: POPUP_MESSAGE, href: location.href };
  clearCallbackFragment();
  if (opener && !opener.closed) {
    // The opener closes the popup once it has the message; closing here could look like the user closing it.
    opener.postMessage(message, location.origin);
    return true;
  }
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(POPUP_CHANNEL);
    channel.postMessage(message);
    channel.close();
  }
  close?.call(globalThis);
  return true;
}
