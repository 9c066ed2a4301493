import { authorizeInPopup, MemoryStateStore } from '@grantkit/smithcart';
import { afterEach, describe, expect, it } from '@jest/globals';

// A window with a popup, as far as authorizeInPopup uses one; the popup flow in real Chromium is in test/e2e.
const NOW = Date.UTC(2020, 0, 1);
type Listener = (event: { origin: string; source: unknown; data: unknown }) => void;
const host = globalThis as Record<string, unknown>;
const popup = { closed: false, location: { href: '' }, close() {} };
let listener: Listener | undefined;

function fakeWindow(): void {
  host.open = () => popup;
  host.addEventListener = (_type: string, added: Listener) => {
    listener = added;
  };
  host.removeEventListener = () => {
    listener = undefined;
  };
}

afterEach(() => {
  delete host.open;
  delete host.addEventListener;
  delete host.removeEventListener;
});

describe('authorizeInPopup', () => {
  describe('with a `now` of its own', () => {
    it('checks the callback and dates the token by that clock', async () => {
      fakeWindow();
      const result = authorizeInPopup({
        baseUrl: 'https://api.example.com',
        clientId: 'Y2XPZW50Q31A',
        redirectUri: 'https://www.example.com/popup-callback.html',
        scope: 'private',
        stateStore: new MemoryStateStore({ now: () => NOW }),
        now: () => NOW,
        timeout: 60_000,
      });
      while (!popup.location.href) await new Promise((resolve) => setTimeout(resolve, 1));
      const state = new URL(popup.location.href).searchParams.get('state') ?? '';
      listener?.({
        origin: 'https://www.example.com',
        source: popup,
        data: {
          type: 'grantkit.smithcart.popup-callback',
          href: `https://www.example.com/popup-callback.html#access_token=abc&token_type=bearer&expires_in=60&state=${state}`,
        },
      });
      // Years after NOW by the real clock: the state would have expired unless `now` is used.
      expect((await result).token.expiresAt).toBe(NOW + 60_000);
    });
  });
});
