import { publish } from '@grantkit/core/internal';
import { ACQUIRE_LOCK, EXTEND_LOCK, RELEASE_LOCK } from './scripts.js';
import type { StoreKeys } from './store-keys.js';

/** Runs one Lua script with a bounded wait (see RedisTokenStore's `#run`). */
export type RunScript = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/** The outcome of one attempt to take the lock. */
export type LockAttempt = { acquired: true; release: () => Promise<void> } | { acquired: false; remainingMs: number };

function randomOwner(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * One attempt at the renewal lock of a token: `SET lock owner NX PX lease`
 * with a random owner. The holder's lease is extended every third of it
 * until release, so a slow token request keeps the lock and a dead holder
 * loses it within one lease. Extension and release act only for the owner
 * (compare-and-pexpire, compare-and-delete): a holder whose lease ran out
 * never extends or deletes the lock of the instance that took over.
 */
export async function tryLock(run: RunScript, keys: StoreKeys, leaseMs: number): Promise<LockAttempt> {
  const owner = randomOwner();
  const reply = (await run(ACQUIRE_LOCK, [keys.lock], [owner, String(leaseMs)])) as [number, number?];
  if (reply[0] !== 1) {
    const remaining = Number(reply[1]);
    // A lock without a lease (PTTL -1) was not set by this store: it is only waited for in polls.
    return { acquired: false, remainingMs: remaining >= 0 ? remaining : Number.POSITIVE_INFINITY };
  }

  const extend = setInterval(
    () => {
      run(EXTEND_LOCK, [keys.lock], [owner, String(leaseMs)]).then(
        (extended) => {
          // 0: the lease ran out and the lock is another instance's now; nothing was extended.
          if (extended === 1) publish('grantkit:lock', () => ({ channel: 'grantkit:lock', action: 'extended' }));
        },
        () => undefined,
      );
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  return {
    acquired: true,
    release: async () => {
      clearInterval(extend);
      const released = await run(RELEASE_LOCK, [keys.lock], [owner, keys.channel]);
      if (released === 1) publish('grantkit:lock', () => ({ channel: 'grantkit:lock', action: 'released' }));
    },
  };
}
