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
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
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

  it('keeps a real user’s pending state through a burst of 10,000 more, refusing the excess with ConfigurationError', async () => {
    const stateStore = new MemoryStateStore({ now: () => NOW });
    const options = {
      baseUrl: 'https://api.example.com',
      clientId: 'Y2XPZW50Q31A',
      redirectUri: 'https://www.example.com/callback.html',
      scope: 'private',
      stateStore,
      now: () => NOW,
    };
    const { state } = await createAuthorizationRequest(options);
    let refused = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        stateStore.save(entry(`burst${i}`));
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        expect(String(error)).toContain('10000 authorizations are pending');
        refused += 1;
      }
    }
    expect(refused).toBe(1);
    const callback = `${options.redirectUri}#access_token=t&token_type=bearer&state=${state}`;
    await expect(handleCallback(callback, { stateStore, now: () => NOW })).resolves.toMatchObject({});
  });

  it('makes room as pending entries expire', () => {
    let now = NOW;
    const store = new MemoryStateStore({ now: () => now, maxEntries: 2 });
    store.save(entry('a', NOW + 1000));
    store.save(entry('b', NOW + 2000));
    expect(() => store.save(entry('c'))).toThrow(ConfigurationError);
    now = NOW + 1000;
    store.save(entry('c'));
    expect(store.take('a')).toBeUndefined();
    expect(store.take('b')).toEqual(entry('b', NOW + 2000));
    expect(store.take('c')).toEqual(entry('c'));
  });

  it('replaces an entry saved again under the same state, even when full', () => {
    const store = new MemoryStateStore({ now: () => NOW, maxEntries: 1 });
    store.save(entry('a'));
    store.save({ ...entry('a'), scope: 'orders' });
    expect(store.take('a')?.scope).toBe('orders');
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

  it('drops its own expired entries on every write and leaves other keys alone', () => {
    let now = NOW;
    const storage = new FakeStorage();
    storage.setItem('other-app', 'kept');
    const store = new SessionStorageStateStore(storage, { now: () => now });
    for (let i = 0; i < 100; i++) store.save(entry(`old${i}`, NOW + 1000));
    store.save(entry('young', NOW + 5000));
    storage.setItem('grantkit.smithcart.state.broken', 'not json');
    now = NOW + 1000;
    store.save(entry('new'));
    expect([...storage.items.keys()].sort()).toEqual([
      'grantkit.smithcart.state.new',
      'grantkit.smithcart.state.young',
      'other-app',
    ]);
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
