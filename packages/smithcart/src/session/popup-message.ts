/** The `type` of the message a popup's callback page sends to its opener. */
export const POPUP_MESSAGE = 'grantkit.smithcart.popup-callback';

/** The BroadcastChannel a callback page falls back to when it has lost its opener. */
export const POPUP_CHANNEL = 'grantkit.smithcart.popup-callback';

/** What the callback page hands back: its URL, fragment included. */
export interface PopupMessage {
  type: typeof POPUP_MESSAGE;
  href: string;
}

/** Whether `data` is a {@link PopupMessage}. */
export function isPopupMessage(data: unknown): data is PopupMessage {
  const message = data as PopupMessage | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.type === POPUP_MESSAGE &&
    typeof message.href === 'string'
  );
}
