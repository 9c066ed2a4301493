import { ConfigurationError, StateMismatchError } from '@grantkit/core';
import {
  createAuthorizationRequest,
  handleCallback,
  MemoryStateStore,
  SessionStorageStateStore,
  type StateEntry,
  type StateStorage,
} from '@grantkit/smithcart';
import { afterEach, describe, expect, it } from '@jest/globals';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

function entry(state: string, expiresAt = NOW + 600_000): StateEntry {
  return { state, scope: 'private', redirectUri: 'https://www.example.com/callback.html', expiresAt };
}

/** The part of window.sessionStorage the store uses, over a Map. */
class FakeStorage implements StateStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('MemoryStateStore', () => {
  it('returns a saved entry once, then nothing (single use)', () => {
    const store = new MemoryStateStore();
    store.save(entry('a'));
    expect(store.take('a')).toEqual(entry('a'));
    expect(store.take('a')).toBeUndefined();
  });

  it('returns nothing for a state it never saw', () => {
    expect(new MemoryStateStore().take('never')).toBeUndefined();
  });

  it('keeps a copy, so changing the saved object later changes nothing', () => {
    const store = new MemoryStateStore();
    const saved = entry('a');
    store.save(saved);
    saved.scope = 'delete';
    expect(store.take('a')?.scope).toBe('private');
  });

  it('drops expired entries by its clock when new ones arrive', () => {
    let now = NOW;
    const store = new MemoryStateStore({ now: () => now });
    store.save(entry('old', NOW + 1000));
    store.save(entry('young', NOW + 5000));
    now = NOW + 1000;
    store.save(entry('new'));
    expect(store.take('old')).toBeUndefined();
    expect(store.take('young')).toEqual(entry('young', NOW + 5000));
    expect(store.take('new')).toEqual(entry('new'));
  });

  it('holds at most 10,000 pending entries, dropping the oldest first', () => {
    const store = new MemoryStateStore({ now: () => NOW });
    for (let i = 0; i <= 10_000; i++) store.save(entry(`s${i}`));
    expect(store.take('s0')).toBeUndefined();
    expect(store.take('s1')).toEqual(entry('s1'));
    expect(store.take('s10000')).toEqual(entry('s10000'));
  });
});

describe('SessionStorageStateStore', () => {
  it('saves the entry as JSON under a prefixed key and reads it back once', () => {
    const storage = new FakeStorage();
    const store = new SessionStorageStateStore(storage);
    store.save(entry('a'));
    expect([...storage.items.keys()]).toEqual(['grantkit.smithcart.state.a']);
    expect(store.take('a')).toEqual(entry('a'));
    expect(storage.items.size).toBe(0);
    expect(store.take('a')).toBeUndefined();
  });

  it.each([['not json'], ['null'], ['{"state":"a"}'], ['{"state":"a","scope":1,"redirectUri":"x","expiresAt":1}']])(
    'treats a stored value %j that is not an entry as unknown, and removes it',
    (text) => {
      const storage = new FakeStorage();
      storage.setItem('grantkit.smithcart.state.a', text);
      expect(new SessionStorageStateStore(storage).take('a')).toBeUndefined();
      expect(storage.items.size).toBe(0);
    },
  );

  it('turns a refused write (quota, blocked storage) into a ConfigurationError', () => {
    const storage = new FakeStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const store = new SessionStorageStateStore(storage);
    expect(() => store.save(entry('a'))).toThrow(ConfigurationError);
    expect(() => store.save(entry('a'))).toThrow(/pass another `stateStore`/);
  });

  it('treats an unreadable storage as holding no entry', () => {
    const storage = new FakeStorage();
    storage.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(new SessionStorageStateStore(storage).take('a')).toBeUndefined();
  });

  it('does not read keys of other applications', () => {
    const storage = new FakeStorage();
    storage.setItem('a', JSON.stringify(entry('a')));
    expect(new SessionStorageStateStore(storage).take('a')).toBeUndefined();
  });
});

describe('the default state store', () => {
  const globals = globalThis as { sessionStorage?: unknown };

  afterEach(() => {
    delete globals.sessionStorage;
  });

  const options = {
    baseUrl: 'https://api.example.com',
    clientId: 'Y2XPZW50Q31A',
    redirectUri: 'https://www.example.com/callback.html',
    scope: 'private',
  };

  it('is window.sessionStorage in a browser, and the state works once through it', async () => {
    const storage = new FakeStorage();
    globals.sessionStorage = storage;
    const { state } = await createAuthorizationRequest(options);
    expect(storage.items.has(`grantkit.smithcart.state.${state}`)).toBe(true);
    const url = `${options.redirectUri}#access_token=abc&token_type=bearer&state=${state}`;
    await expect(handleCallback(url)).resolves.toMatchObject({ granted: expect.anything() });
    expect(storage.items.size).toBe(0);
    await expect(handleCallback(url)).rejects.toThrow(StateMismatchError);
  });

  it('falls back to memory where reading sessionStorage throws (blocked storage)', async () => {
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: access denied');
      },
    });
    const { state } = await createAuthorizationRequest(options);
    const url = `${options.redirectUri}#access_token=abc&token_type=bearer&state=${state}`;
    await expect(handleCallback(url)).resolves.toMatchObject({ granted: expect.anything() });
  });
});
