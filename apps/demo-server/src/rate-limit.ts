/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /** Attempts allowed per key in one window. Default 10. */
  max?: number;
  /** The window's length. Default one minute. */
  windowMs?: number;
  /** Keys remembered at most; beyond, the oldest windows are forgotten. Default 10,000. */
  maxKeys?: number;
  now?: () => number;
}

/** Counts attempts per key (a client address) in fixed windows. */
export class RateLimit {
  readonly #windows = new Map<string, { started: number; count: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.#max = options.max ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one attempt of `key`: 0 when allowed, else the seconds until the next one is. */
  take(key: string): number {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || now - window.started >= this.#windowMs) {
      this.#windows.delete(key);
      window = { started: now, count: 0 };
      this.#windows.set(key, window);
      for (const oldest of this.#windows.keys()) {
        if (this.#windows.size <= this.#maxKeys) break;
        this.#windows.delete(oldest);
      }
    }
    window.count += 1;
    return window.count <= this.#max ? 0 : Math.ceil((window.started + this.#windowMs - now) / 1000);
  }
}
