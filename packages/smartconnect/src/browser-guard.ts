import { ConfigurationError } from '@grantkit/core';
import * as messages from '#messages';

/**
 * Refuses to run where a page could read the client secret and the user's
 * password (both `window` and `document` exist), unless the caller opted out.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.4
 */
export function assertNotInBrowser(dangerouslyAllowBrowser: boolean | undefined): void {
  const g = globalThis as { window?: unknown; document?: unknown };
  if (dangerouslyAllowBrowser === true || g.window === undefined || g.document === undefined) return;
  throw new ConfigurationError(messages.runningInBrowser);
}
