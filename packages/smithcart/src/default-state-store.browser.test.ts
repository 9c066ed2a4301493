import { describe, expect, it } from '@jest/globals';
import { defaultStateStore } from './default-state-store.browser.js';

// The variant that browser bundles get (`#default-state-store`'s `browser` condition); Node has no
// sessionStorage, as a browser frame where storage is blocked.
const entry = { state: 's1', scope: 'private', redirectUri: 'https://www.example.com/cb', expiresAt: 1 };

describe('the default state store of browser bundles, where sessionStorage is missing or blocked', () => {
  it('keeps an entry for this page and hands it out once', async () => {
    await defaultStateStore().save(entry);
    expect(await defaultStateStore().take('s1')).toEqual(entry);
    expect(await defaultStateStore().take('s1')).toBeUndefined();
  });

  it('uses sessionStorage where there is one', async () => {
    const items = new Map<string, string>();
    const storage = {
      get length() {
        return items.size;
      },
      key: (index: number) => [...items.keys()][index] ?? null,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
    const host = globalThis as { sessionStorage?: unknown };
    host.sessionStorage = storage;
    try {
      await defaultStateStore().save(entry);
      expect([...items.keys()]).toEqual(['grantkit.smithcart.state.s1']);
    } finally {
      delete host.sessionStorage;
    }
  });
});
