import * as messages from '#messages';
import { GrantKitError, type GrantKitErrorOptions } from './grant-kit-error.js';

/**
 * The user closed the authorization popup before it finished.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'popup_closed')) showNotice('Connection cancelled.');
 * ```
 */
export class PopupClosedError extends GrantKitError {
  override name = 'PopupClosedError' as const;

  constructor(options?: GrantKitErrorOptions) {
    super('popup_closed', messages.popupClosed, options);
  }
}
