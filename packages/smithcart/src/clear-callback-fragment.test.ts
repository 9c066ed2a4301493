import { clearCallbackFragment } from '@grantkit/smithcart';
import { afterEach, describe, expect, it } from '@jest/globals';

/** A browser tab's history and address bar, reduced to what matters here: it serves as both `history` and `location`. */
class FakeTab {
  readonly entries: { url: URL; state: unknown }[];
  index = 0;

  constructor(url: string) {
    this.entries = [{ url: new URL(url), state: { from: 'app' } }];
  }

  get current(): { url: URL; state: unknown } {
    const entry = this.entries[this.index];
    if (!entry) throw new Error('no current entry');
    return entry;
  }

  get state(): unknown {
    return this.current.state;
  }

  get pathname(): string {
    return this.current.url.pathname;
  }

  get search(): string {
    return this.current.url.search;
  }

  pushState(state: unknown, _title: string, url: string): void {
    this.entries.splice(this.index + 1, Number.POSITIVE_INFINITY, { url: new URL(url, this.current.url), state });
    this.index += 1;
  }

  replaceState(state: unknown, _title: string, url: string): void {
    this.entries[this.index] = { url: new URL(url, this.current.url), state };
  }
}

function open(url: string): FakeTab {
  const tab = new FakeTab(url);
  globals.history = tab;
  globals.location = tab;
  return tab;
}

const globals = globalThis as { history?: unknown; location?: unknown };

afterEach(() => {
  delete globals.history;
  delete globals.location;
});

describe('clearCallbackFragment', () => {
  it('removes the fragment from the address bar without adding a history entry', () => {
    const active = open('https://www.example.com/callback.html?tab=orders#access_token=abc&state=s');
    clearCallbackFragment();
    expect(active.entries.map((entry) => entry.url.href)).toEqual(['https://www.example.com/callback.html?tab=orders']);
    expect(active.current.state).toEqual({ from: 'app' });
  });

  it('replaces the current entry only, leaving earlier pages in place', () => {
    const active = open('https://www.example.com/start.html');
    active.pushState(null, '', '/callback.html#access_token=abc');
    clearCallbackFragment();
    expect(active.entries.map((entry) => entry.url.href)).toEqual([
      'https://www.example.com/start.html',
      'https://www.example.com/callback.html',
    ]);
    expect(active.entries.some((entry) => entry.url.href.includes('abc'))).toBe(false);
  });

  it('does nothing where there is no history, as in Node', () => {
    expect(() => clearCallbackFragment()).not.toThrow();
  });
});
