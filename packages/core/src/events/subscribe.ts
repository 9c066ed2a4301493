import type { GrantKitChannel, GrantKitEvent } from './event-types.js';

type Listener = (event: GrantKitEvent) => void;

const everyChannel = new Set<Listener>();
const byChannel = new Map<GrantKitChannel, Set<Listener>>();

/** Whether a listener of {@link subscribe} wants events of that channel. */
export function hasListeners(channel: GrantKitChannel): boolean {
  return everyChannel.size > 0 || (byChannel.get(channel)?.size ?? 0) > 0;
}

/** Hands an event to its listeners; a listener that throws is skipped. */
export function deliver(event: GrantKitEvent): void {
  const listeners = [...everyChannel, ...(byChannel.get(event.channel) ?? [])];
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener's bug must not change what grantkit does.
    }
  }
}

/**
 * Listens to what grantkit does, in any runtime: token acquisitions and cache lookups, HTTP exchanges, the
 * fleet lock, the shared store. Events carry no token, password, client secret,
 * username or client id, and URLs are redacted. Nothing is built while nobody listens.
 * A listener's exception is ignored: it never reaches grantkit's callers or the other listeners.
 *
 * With a channel first (`'grantkit:token'`, `'grantkit:token:cache'`, `'grantkit:http'`, `'grantkit:lock'`,
 * `'grantkit:store'`, `'grantkit:callback'`), only that channel's events; without, every event.
 * @returns A function that stops listening.
 * @example
 * ```ts
 * const unsubscribe = subscribe('grantkit:token', (event) => {
 *   if (event.phase === 'end') console.log(`token ${event.outcome} in ${event.duration} ms (${event.reason})`);
 * });
 * // later
 * unsubscribe();
 * ```
 */
export function subscribe(listener: (event: GrantKitEvent) => void): () => void;
export function subscribe<C extends GrantKitChannel>(
  channel: C,
  listener: (event: Extract<GrantKitEvent, { channel: C }>) => void,
): () => void;
export function subscribe(first: GrantKitChannel | Listener, second?: Listener): () => void {
  let set: Set<Listener>;
  let listener: Listener;
  if (typeof first === 'function') {
    set = everyChannel;
    listener = first;
  } else {
    set = byChannel.get(first) ?? new Set();
    byChannel.set(first, set);
    listener = second as Listener;
  }
  // Wrapped, so that the same function subscribed twice is two subscriptions.
  const entry: Listener = (event) => listener(event);
  set.add(entry);
  return () => {
    set.delete(entry);
  };
}
