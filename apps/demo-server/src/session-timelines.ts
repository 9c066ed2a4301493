import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from '@grantkit/core';
import { TokenTimeline, timelineFacts } from './token-timeline.js';

/** Options of {@link SessionTimelines}. */
export interface SessionTimelinesOptions {
  /** At most this many timelines; past it, the least recently used one is forgotten. Default 1,000. */
  maxSessions?: number;
  now?: () => number;
}

/**
 * The token timeline of each signed-in session of this process, fed by
 * grantkit's `subscribe()`. grantkit calls its listeners synchronously, in the
 * async context of the call that caused the event, so the code that calls
 * SmartConnect for a session runs inside {@link SessionTimelines.run} and each
 * event lands in that session's timeline, never in another's.
 */
export class SessionTimelines {
  readonly #current = new AsyncLocalStorage<TokenTimeline>();
  readonly #bySession = new Map<string, TokenTimeline>();
  readonly #maxSessions: number;
  readonly #now: () => number;
  readonly #unsubscribe: () => void;

  constructor(options: SessionTimelinesOptions = {}) {
    this.#maxSessions = options.maxSessions ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = subscribe((event) => {
      const timeline = this.#current.getStore();
      const facts = timeline && timelineFacts(event);
      if (facts) timeline.record(facts);
    });
  }

  /** A timeline for a session that has no id yet (a sign-in in progress); {@link adopt} it once it has one. */
  create(): TokenTimeline {
    return new TokenTimeline(this.#now);
  }

  /** Runs `call` with grantkit's events recorded in `timeline`. */
  run<T>(timeline: TokenTimeline, call: () => T): T {
    return this.#current.run(timeline, call);
  }

  /** The timeline of a live session, made on first use. */
  of(sessionId: string): TokenTimeline {
    const timeline = this.#bySession.get(sessionId) ?? this.create();
    this.adopt(sessionId, timeline);
    return timeline;
  }

  /** Files `timeline` under `sessionId`, as its most recently used. */
  adopt(sessionId: string, timeline: TokenTimeline): void {
    this.#bySession.delete(sessionId);
    this.#bySession.set(sessionId, timeline);
    for (const [id, oldest] of this.#bySession) {
      if (this.#bySession.size <= this.#maxSessions) break;
      this.#bySession.delete(id);
      oldest.end();
    }
  }

  /** Forgets a session's timeline and ends its live streams (a sign-out). */
  drop(sessionId: string | undefined): void {
    if (sessionId === undefined) return;
    this.#bySession.get(sessionId)?.end();
    this.#bySession.delete(sessionId);
  }

  /** Stops listening to grantkit and ends every live stream, so that the server can stop at once. */
  close(): void {
    this.#unsubscribe();
    for (const timeline of this.#bySession.values()) timeline.end();
    this.#bySession.clear();
  }
}
