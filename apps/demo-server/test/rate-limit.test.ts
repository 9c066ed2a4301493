import { describe, expect, it } from '@jest/globals';
import { RateLimit } from '../src/rate-limit.js';

describe('RateLimit', () => {
  it('allows max attempts per key in a window, then says how many seconds to wait', () => {
    let now = 0;
    const limit = new RateLimit({ max: 2, windowMs: 60_000, now: () => now });
    expect([limit.take('a'), limit.take('a')]).toEqual([0, 0]);
    now = 15_000;
    expect(limit.take('a')).toBe(45);
    expect(limit.take('b')).toBe(0);
    now = 60_000;
    expect(limit.take('a')).toBe(0);
  });

  it('remembers at most maxKeys keys, forgetting the oldest windows', () => {
    const limit = new RateLimit({ max: 1, maxKeys: 2 });
    limit.take('a');
    limit.take('b');
    limit.take('c');
    expect(limit.take('a')).toBe(0);
    expect(limit.take('c')).toBeGreaterThan(0);
  });
});
