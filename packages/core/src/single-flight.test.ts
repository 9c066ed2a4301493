import { singleFlight } from '@grantkit/core/internal';
import { describe, expect, it } from '@jest/globals';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('singleFlight', () => {
  it('gives concurrent callers one shared call and its result', async () => {
    const pending = deferred<string>();
    let calls = 0;
    const shared = singleFlight(() => {
      calls += 1;
      return pending.promise;
    });
    const results = Promise.all([shared(), shared(), shared()]);
    pending.resolve('token');
    await expect(results).resolves.toEqual(['token', 'token', 'token']);
    expect(calls).toBe(1);
  });

  it('gives concurrent callers the same rejection', async () => {
    const pending = deferred<string>();
    const shared = singleFlight(() => pending.promise);
    const first = shared();
    const second = shared();
    pending.reject(new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    await expect(second).rejects.toThrow('refused');
  });

  it('starts a new call once the previous one has settled, after success or failure', async () => {
    let calls = 0;
    const shared = singleFlight(async () => {
      calls += 1;
      if (calls === 1) throw new Error('first fails');
      return calls;
    });
    await expect(shared()).rejects.toThrow('first fails');
    await expect(shared()).resolves.toBe(2);
    await expect(shared()).resolves.toBe(3);
  });

  it('does not keep a synchronous throw as the shared result for later calls', async () => {
    let calls = 0;
    const shared = singleFlight((): Promise<string> => {
      calls += 1;
      if (calls === 1) throw new Error('thrown before any promise');
      return Promise.resolve('renewed');
    });
    await expect(shared()).rejects.toThrow('thrown before any promise');
    await expect(shared()).resolves.toBe('renewed');
  });
});
