import type { GrantKitEvent, TokenAcquireOutcome, TokenAcquireReason } from '@grantkit/core';

/** What one line of the timeline says happened. */
type TimelineKind = 'cache_hit' | TokenAcquireOutcome | 'lock_contended';

/**
 * One line of a session's token timeline. Built only from event fields that
 * hold no secret (outcomes, reasons, error codes, durations), so it can go to
 * the browser as it is.
 */
export interface TimelineEntry {
  /** Increases by one per entry of a timeline. */
  id: number;
  /** When it happened, epoch ms. */
  at: number;
  kind: TimelineKind;
  /** Why a token was needed, for an acquisition. */
  reason?: TokenAcquireReason | undefined;
  /** What happened, in words. */
  text: string;
  /** How long the acquisition took, ms. */
  durationMs?: number | undefined;
}

type EntryFacts = Omit<TimelineEntry, 'id' | 'at'>;

const OUTCOMES: Record<TokenAcquireOutcome, string> = {
  fetched: 'Fetched a new token',
  coalesced: 'Joined the token request already in flight (single flight)',
  store_hit: 'Found a token in the shared store',
  waited: 'Waited: another instance renewed the token',
  kept: 'Renewal failed; kept the still-valid token',
  failed: 'Getting a token failed',
};

const REASONS: Record<TokenAcquireReason, string> = {
  cold: 'no token yet',
  expiring: 'renewal before expiry',
  rejected: 'renewal after a 401',
};

/** The timeline line of a grantkit event, or `undefined` for events the timeline leaves out. */
export function timelineFacts(event: GrantKitEvent): EntryFacts | undefined {
  switch (event.channel) {
    case 'grantkit:token:cache':
      return event.outcome === 'hit' ? { kind: 'cache_hit', text: 'Cache hit: token reused from memory' } : undefined;
    case 'grantkit:token': {
      if (event.phase === 'start' || event.outcome === undefined) return undefined;
      const code = event.errorCode === undefined ? '' : ` (${event.errorCode})`;
      return {
        kind: event.outcome,
        reason: event.reason,
        text: `${OUTCOMES[event.outcome]}${code} · ${REASONS[event.reason]}`,
        durationMs: event.duration,
      };
    }
    case 'grantkit:lock':
      return event.action === 'contended'
        ? { kind: 'lock_contended', text: 'Another instance is renewing the token: waiting for it' }
        : undefined;
    default:
      return undefined;
  }
}

/** How many lines a timeline keeps. */
const TIMELINE_LENGTH = 20;

/** Who watches a timeline live: told of each new entry, then of the end. */
export interface TimelineWatcher {
  update(entries: readonly TimelineEntry[]): void;
  end(): void;
}

/** The last {@link TIMELINE_LENGTH} token events of one signed-in session, and who watches them live. */
export class TokenTimeline {
  readonly #entries: TimelineEntry[] = [];
  readonly #watchers = new Set<TimelineWatcher>();
  readonly #now: () => number;
  #lastId = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The entries, newest first. */
  get entries(): readonly TimelineEntry[] {
    return this.#entries;
  }

  /** How many watchers (open live streams) it has. */
  get watchers(): number {
    return this.#watchers.size;
  }

  record(facts: EntryFacts): void {
    this.#lastId += 1;
    this.#entries.unshift({ id: this.#lastId, at: this.#now(), ...facts });
    this.#entries.length = Math.min(this.#entries.length, TIMELINE_LENGTH);
    for (const watcher of this.#watchers) watcher.update(this.#entries);
  }

  /** Tells `watcher` of each new entry until the returned function is called or the timeline ends. */
  watch(watcher: TimelineWatcher): () => void {
    const entry = { ...watcher };
    this.#watchers.add(entry);
    return () => {
      this.#watchers.delete(entry);
    };
  }

  /** Ends every watch (the session ended, or the server stops). */
  end(): void {
    const watchers = [...this.#watchers];
    this.#watchers.clear();
    for (const watcher of watchers) watcher.end();
  }
}

/** An entry's time as the page shows it: `HH:MM:SS.mmm` UTC. */
export function timelineTime(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}
