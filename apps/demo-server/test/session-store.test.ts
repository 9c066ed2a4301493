import { describe, expect, it } from '@jest/globals';
import { MemorySessionStore } from '../src/session-store.js';

describe('MemorySessionStore', () => {
  it('gives each session a distinct 256-bit base64url id', () => {
    const store = new MemorySessionStore<string>({ maxSessionsPerUser: 50 });
    const ids = new Set(Array.from({ length: 50 }, () => store.create('x', 'user')));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe('when a session stays idle past the timeout', () => {
    it('forgets it and hands its value to onEvict', () => {
      let now = 0;
      const evicted: string[] = [];
      const store = new MemorySessionStore<string>({ idleTimeoutMs: 1_000, now: () => now }, (value) =>
        evicted.push(value),
      );
      const id = store.create('alice', 'alice');
      now = 999;
      expect(store.get(id)).toBe('alice');
      now = 1_900;
      expect(store.get(id)).toBe('alice');
      now = 3_001;
      expect(store.get(id)).toBeUndefined();
      expect(evicted).toEqual(['alice']);
    });
  });

  describe('when full', () => {
    it('refuses a new session instead of ending another user’s', () => {
      const store = new MemorySessionStore<string>({ maxSessions: 2 });
      const a = store.create('a', 'ann');
      const b = store.create('b', 'bob');
      expect(store.create('c', 'carl')).toBeUndefined();
      expect(store.get(a)).toBe('a');
      expect(store.get(b)).toBe('b');
      expect(store.size).toBe(2);
    });

    it('takes a new session once an idle one has gone', () => {
      let now = 0;
      const store = new MemorySessionStore<string>({ maxSessions: 1, idleTimeoutMs: 1_000, now: () => now });
      store.create('a', 'ann');
      now = 1_001;
      expect(store.create('b', 'bob')).toBeDefined();
    });
  });

  describe('when a user signs in more often than the per-user cap', () => {
    it('ends that user’s least recently used session, and nobody else’s', () => {
      const evicted: string[] = [];
      const store = new MemorySessionStore<string>({ maxSessionsPerUser: 2 }, (value) => evicted.push(value));
      const other = store.create('bob-1', 'bob');
      const first = store.create('ann-1', 'ann');
      const second = store.create('ann-2', 'ann');
      store.get(first);
      store.create('ann-3', 'ann');
      expect(evicted).toEqual(['ann-2']);
      expect(store.get(first)).toBe('ann-1');
      expect(store.get(second)).toBeUndefined();
      expect(store.get(other)).toBe('bob-1');
      expect(store.size).toBe(3);
    });
  });

  it('returns nothing for an unknown or missing id', () => {
    const store = new MemorySessionStore<string>();
    expect(store.get('forged')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });
});
