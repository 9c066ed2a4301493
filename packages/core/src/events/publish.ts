import { nodeChannel, nodeTokenTrace } from '#node-channels';
import { redactUrl } from '../redact.js';
import type {
  GrantKitEvent,
  HttpEvent,
  TokenAcquireEvent,
  TokenAcquireOutcome,
  TokenAcquireReason,
} from './event-types.js';
import { deliver, hasListeners } from './subscribe.js';

type PlainChannel = Exclude<GrantKitEvent['channel'], 'grantkit:token'>;

/** Whether anyone listens to that channel, here or on `diagnostics_channel`: check it before building a payload. */
export function isObserved(channel: PlainChannel): boolean {
  return hasListeners(channel) || nodeChannel(channel)?.hasSubscribers === true;
}

/** Publishes the event `build` makes, only when someone listens (else `build` is never called). */
export function publish(channel: PlainChannel, build: () => Extract<GrantKitEvent, { channel: typeof channel }>): void {
  if (!isObserved(channel)) return;
  const event = build();
  if (hasListeners(channel)) deliver(event);
  const node = nodeChannel(channel);
  if (node?.hasSubscribers) node.publish(event);
}

/** A code for an error fit for an event: its `code` (every GrantKitError has one), else its name. Never its message. */
export function errorCodeOf(error: unknown): string {
  const { code, name } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string' && code !== '') return code;
  return typeof name === 'string' && name !== '' ? name : 'unknown';
}

/** What a traced acquisition records while it runs (only when someone listens). */
export interface TokenAcquisition {
  readonly id: number;
  outcome: TokenAcquireOutcome | undefined;
  /** Token requests sent. */
  attempts: number;
}

let lastId = 0;

/**
 * Runs one token acquisition, published as `grantkit:token` start, then end or error (and on Node's
 * `tracing:grantkit:token:*` channels, `run` inside `start.runStores` so a bound AsyncLocalStorage reaches it).
 * `run` gets `undefined` when nobody listens.
 */
export function traceTokenAcquire<T>(
  reason: TokenAcquireReason,
  run: (acquisition: TokenAcquisition | undefined) => Promise<T>,
): Promise<T> {
  const node = nodeTokenTrace();
  const local = hasListeners('grantkit:token');
  if (!node && !local) return run(undefined);

  lastId += 1;
  const acquisition: TokenAcquisition = { id: lastId, outcome: undefined, attempts: 0 };
  const started = performance.now();
  const context: { -readonly [K in keyof TokenAcquireEvent]: TokenAcquireEvent[K] } = {
    channel: 'grantkit:token',
    phase: 'start',
    id: acquisition.id,
    reason,
  };
  if (local) deliver({ ...context });
  const call = (): Promise<T> => {
    try {
      return run(acquisition);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const pending = node ? node.start(context, call) : call();

  const finish = (error: unknown, failed: boolean) => {
    context.phase = failed ? 'error' : 'end';
    context.outcome = failed ? 'failed' : acquisition.outcome;
    context.attempts = acquisition.attempts;
    context.duration = performance.now() - started;
    if (failed) context.errorCode = errorCodeOf(error);
    if (local) deliver({ ...context });
    node?.settle(context, failed);
  };
  return pending.then(
    (value) => {
      finish(undefined, false);
      return value;
    },
    (error: unknown) => {
      finish(error, true);
      throw error;
    },
  );
}

/** One HTTP exchange being observed: count each request sent, then end it with the answer or the failure. */
export interface HttpTrace {
  sent(): void;
  end(status: number): void;
  fail(error: unknown): void;
}

/** Starts observing an HTTP exchange; `undefined` (and nothing built) when nobody listens to `grantkit:http`. */
export function traceHttp(
  purpose: HttpEvent['purpose'],
  method: string,
  url: string,
  parentId?: number,
): HttpTrace | undefined {
  if (!isObserved('grantkit:http')) return undefined;
  const started = performance.now();
  let sends = 0;
  let done = false;
  const finish = (status: number | undefined, errorCode: string | undefined) => {
    if (done) return;
    done = true;
    publish('grantkit:http', () => ({
      channel: 'grantkit:http',
      purpose,
      parentId,
      method,
      url: redactUrl(url),
      status,
      resendCount: Math.max(0, sends - 1),
      startTime: performance.timeOrigin + started,
      duration: performance.now() - started,
      errorCode,
    }));
  };
  return {
    sent() {
      sends += 1;
    },
    end(status) {
      finish(status, undefined);
    },
    fail(error) {
      finish(undefined, errorCodeOf(error));
    },
  };
}
