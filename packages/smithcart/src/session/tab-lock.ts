/**
 * Runs `task` while this tab holds the lock `name`, shared by every same-origin
 * tab: the Web Locks API where there is one, else an election over a
 * `BroadcastChannel` (best effort: a claim, a short settling window in which
 * the lowest claim wins, a claim repeated to a later claimant, a heartbeat while
 * held, and takeover after silence).
 */
export function withTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: WebLocks } | undefined)?.locks;
  if (locks && typeof locks.request === 'function') return locks.request(name, task);
  return withChannelLock(name, task);
}

// The part of the Web Locks API used here.
interface WebLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

type LockMessage = { kind: 'claim'; id: string; rank: number } | { kind: 'held' | 'release'; id: string };

// Long enough for a message between busy tabs (separate processes) to arrive: a tab without Web Locks pays it once.
const SETTLE_MS = 250;
const HEARTBEAT_MS = 500;
const SILENCE_MS = 2_000;

async function withChannelLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const id = crypto.randomUUID();
  const channel = new BroadcastChannel(`grantkit.lock.${name}`);
  let holder: string | undefined;
  let heardAt = 0;
  let lost = false;
  let rank = 0;
  let wake: (() => void) | undefined;
  let mine = false;
  channel.onmessage = (event: { data: LockMessage }) => {
    const message = event.data;
    if (message.kind === 'claim') {
      if (mine) channel.postMessage({ kind: 'held', id } satisfies LockMessage);
      else if (rank && (message.rank < rank || (message.rank === rank && message.id < id))) lost = true;
      // A tab that opened its channel after our claim never heard it: say it again while we settle.
      else if (rank) channel.postMessage({ kind: 'claim', id, rank } satisfies LockMessage);
    } else if (message.kind === 'held') {
      holder = message.id;
      heardAt = Date.now();
      lost = true;
    } else if (message.id === holder) {
      holder = undefined;
      wake?.();
    }
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, ms);
    });
  try {
    for (;;) {
      if (holder !== undefined && Date.now() - heardAt < SILENCE_MS) {
        await pause(HEARTBEAT_MS);
        continue;
      }
      holder = undefined;
      lost = false;
      rank = Date.now() + Math.random();
      channel.postMessage({ kind: 'claim', id, rank } satisfies LockMessage);
      await pause(SETTLE_MS);
      if (lost) {
        rank = 0;
        await pause(SETTLE_MS + Math.random() * SETTLE_MS);
        continue;
      }
      mine = true;
      channel.postMessage({ kind: 'held', id } satisfies LockMessage);
      const heartbeat = setInterval(
        () => channel.postMessage({ kind: 'held', id } satisfies LockMessage),
        HEARTBEAT_MS,
      );
      const release = () => channel.postMessage({ kind: 'release', id } satisfies LockMessage);
      globalThis.addEventListener?.('pagehide', release);
      try {
        return await task();
      } finally {
        clearInterval(heartbeat);
        globalThis.removeEventListener?.('pagehide', release);
        mine = false;
        release();
      }
    }
  } finally {
    channel.close();
  }
}
