import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The browser refused to open the authorization popup (`window.open` gave
 * nothing): popups are blocked, or it was not called from a click.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'popup_blocked')) location.assign(url); // fall back to the redirect flow
 * ```
 */
export class PopupBlockedError extends GrantKitError {
  override name = 'PopupBlockedError' as const;

  constructor(options?: GrantKitErrorOptions) {
    super('popup_blocked', messages.popupBlocked, options);
  }
}
