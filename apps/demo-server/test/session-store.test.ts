import { describe, expect, it } from '@jest/globals';
import { SessionStore } from '../src/session-store.js';

describe('SessionStore', () => {
  it('gives each session a distinct 256-bit base64url id', () => {
    const store = new SessionStore<string>();
    const ids = new Set(Array.from({ length: 50 }, () => store.create('x')));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe('when a session stays idle past the timeout', () => {
    it('forgets it and hands its value to onEvict', () => {
      let now = 0;
      const evicted: string[] = [];
      const store = new SessionStore<string>({ idleTimeoutMs: 1_000, now: () => now }, (value) => evicted.push(value));
      const id = store.create('alice');
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
    it('evicts the least recently used session', () => {
      const store = new SessionStore<string>({ maxSessions: 2 });
      const a = store.create('a');
      const b = store.create('b');
      store.get(a);
      store.create('c');
      expect(store.get(b)).toBeUndefined();
      expect(store.get(a)).toBe('a');
      expect(store.size).toBe(2);
    });
  });

  it('returns nothing for an unknown or missing id', () => {
    const store = new SessionStore<string>();
    expect(store.get('forged')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });
});
