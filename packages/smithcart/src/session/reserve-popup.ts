import { type PopupWindow, popupFeatures } from './authorize-in-popup.js';

interface ActivatedWindow {
  open(url: string, target: string, features: string): PopupWindow | null;
  navigator?: { userActivation?: { isActive: boolean } };
}

/**
 * Opens a blank popup now, while the click that asked for a token still counts as a user action, so that the
 * consent page can open in it after the tabs have agreed who authorizes: WebKit no longer allows a popup in a
 * Web Locks or BroadcastChannel callback, where Chromium and Firefox still do (5 seconds after a click). Opens
 * nothing outside a click (`navigator.userActivation`), where the browser would block it anyway.
 */
export function reservePopup(features: string | undefined): PopupWindow | null {
  const host = globalThis as unknown as Partial<ActivatedWindow>;
  if (typeof host.open !== 'function' || host.navigator?.userActivation?.isActive !== true) return null;
  return host.open('about:blank', '_blank', popupFeatures(features));
}
