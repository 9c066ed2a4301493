import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { withTabLock } from './tab-lock.js';

// Another tab, as its messages look on the lock's BroadcastChannel.
let otherTab: BroadcastChannel;
let heard: { kind: string; id: string; rank?: number }[];
const LOCK = 'tab-lock-test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const kinds = () => heard.map((message) => message.kind);

beforeEach(() => {
  // Without the Web Locks API (Node has one): the BroadcastChannel election.
  Object.defineProperty(globalThis.navigator, 'locks', { value: undefined, configurable: true });
  otherTab = new BroadcastChannel(`grantkit.lock.${LOCK}`);
  heard = [];
  otherTab.onmessage = (event) => heard.push(event.data);
});
afterEach(() => {
  otherTab.close();
  delete (globalThis.navigator as { locks?: unknown }).locks;
});

describe('withTabLock without the Web Locks API', () => {
  it('takes a free lock, and answers a claim made while it runs with held', async () => {
    await withTabLock(LOCK, async () => {
      otherTab.postMessage({ kind: 'claim', id: 'later-tab', rank: Date.now() });
      await sleep(50);
    });
    await sleep(20);
    // Its claim, `held` once it won, `held` again in answer to the later claim, then `release`.
    expect(kinds()).toEqual(['claim', 'held', 'held', 'release']);
  });

  it('repeats its claim to a tab that claims later while it settles, which may not have heard the first one', async () => {
    otherTab.onmessage = (event) => {
      heard.push(event.data);
      // A tab whose channel opened after this claim was sent: it claims too, later (a higher rank).
      if (heard.length === 1) otherTab.postMessage({ kind: 'claim', id: 'later-tab', rank: Date.now() + 1 });
    };
    await withTabLock(LOCK, async () => undefined);
    await sleep(20);
    expect(kinds()).toEqual(['claim', 'claim', 'held', 'release']);
    expect(heard[1]).toEqual(heard[0]);
  });

  it('waits for an earlier claim it hears while it settles, then for that tab to release the lock', async () => {
    let ranAt: number | undefined;
    otherTab.onmessage = (event) => {
      heard.push(event.data);
      if (heard.length === 1) otherTab.postMessage({ kind: 'claim', id: 'earlier-tab', rank: 1 });
    };
    const running = withTabLock(LOCK, async () => {
      ranAt = Date.now();
    });
    await sleep(100);
    otherTab.postMessage({ kind: 'held', id: 'earlier-tab' });
    await sleep(300);
    expect(ranAt).toBeUndefined();
    const releasedAt = Date.now();
    otherTab.postMessage({ kind: 'release', id: 'earlier-tab' });
    await running;
    expect(ranAt).toBeGreaterThanOrEqual(releasedAt);
  });
});
