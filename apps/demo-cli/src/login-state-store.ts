import { createHash, timingSafeEqual } from 'node:crypto';
import type { StateEntry, StateStore } from '@grantkit/smithcart';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The state store of one `smithcart login`: it holds that login's state only,
 * and records whether a callback has presented it. A callback that carries
 * the state came through the authorization (only the provider's redirect
 * knows it), so its outcome, even a refusal, ends the login; one that does not
 * is someone else's and is ignored.
 */
export class LoginStateStore implements StateStore {
  #entry: StateEntry | undefined;
  #presented = false;

  /** Whether a callback has presented this login's state (which then works no more). */
  get presented(): boolean {
    return this.#presented;
  }

  save(entry: StateEntry): void {
    this.#entry = { ...entry };
  }

  take(state: string): StateEntry | undefined {
    const entry = this.#entry;
    if (entry === undefined || !timingSafeEqual(digest(entry.state), digest(state))) return undefined;
    this.#entry = undefined;
    this.#presented = true;
    return entry;
  }
}
