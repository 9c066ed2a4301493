import { singleFlight } from '../single-flight.js';

/** The 401 renewal of one client: one renewal at a time, and a pause after a renewed token was refused too. */
export interface Renewal {
  /** Whether a 401 may be answered by renewing now (not during a pause). */
  allowed(): boolean;
  /** Renews; concurrent callers share one call. */
  renew(): Promise<unknown>;
  /** The token got by a renewal was refused again: renew no more for a while. */
  refusedAgain(): void;
}

/** How long renewal pauses after a renewed token was refused again. */
export const RENEWAL_PAUSE_MS = 30_000;

/**
 * A renewal that shares one `refresh` among concurrent 401s and, once a renewed token is refused too,
 * lets 401s surface for `pauseMs` instead of asking for a token per call (an API that refuses every
 * token would otherwise cost one token request per call).
 */
export function createRenewal(refresh: () => Promise<unknown>, now: () => number, pauseMs: number): Renewal {
  const renew = singleFlight(refresh);
  let pausedUntil = Number.NEGATIVE_INFINITY;
  return {
    allowed: () => now() >= pausedUntil,
    renew,
    refusedAgain() {
      pausedUntil = now() + pauseMs;
    },
  };
}
