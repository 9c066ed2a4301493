import type { GrantKitChannel } from './event-types.js';

// The parts of `node:diagnostics_channel` used here, so that core needs no Node types at run time.
interface NodeChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  runStores<T>(context: object, run: () => T): T;
}
interface NodeTracingChannel {
  readonly hasSubscribers?: boolean;
  readonly start: NodeChannel;
  readonly end: NodeChannel;
  readonly asyncStart: NodeChannel;
  readonly asyncEnd: NodeChannel;
  readonly error: NodeChannel;
}
interface DiagnosticsChannel {
  channel(name: string): NodeChannel;
  tracingChannel(name: string): NodeTracingChannel;
}
interface ProcessLike {
  getBuiltinModule?(id: string): unknown;
}

/** `grantkit:token` is a TracingChannel (`tracing:grantkit:token:start`, `…:end`, `…:asyncEnd`, `…:error`). */
const TOKEN_TRACING_CHANNEL = 'grantkit:token';

let module: DiagnosticsChannel | null | undefined;
const channels = new Map<string, NodeChannel>();
let tokenTracing: NodeTracingChannel | undefined;

// Reached through process.getBuiltinModule (Node ≥ 22.3): no static `node:` import, nothing in a browser bundle.
function diagnostics(): DiagnosticsChannel | null {
  if (module === undefined) {
    const process = (globalThis as { process?: ProcessLike }).process;
    module = (process?.getBuiltinModule?.('node:diagnostics_channel') as DiagnosticsChannel | undefined) ?? null;
  }
  return module;
}

/** The Node channel of that name, or `undefined` outside Node. */
export function nodeChannel(name: Exclude<GrantKitChannel, 'grantkit:token'>): NodeChannel | undefined {
  let found = channels.get(name);
  if (found === undefined) {
    const dc = diagnostics();
    if (dc === null) return undefined;
    found = dc.channel(name);
    channels.set(name, found);
  }
  return found;
}

/** A token acquisition on Node's `grantkit:token` TracingChannel. */
export interface NodeTokenTrace {
  /** Publishes `start`, runs `call` inside `start.runStores` (so a bound AsyncLocalStorage reaches it), then `end`. */
  start<T>(context: object, call: () => Promise<T>): Promise<T>;
  /** Publishes how the acquisition settled: `error` when it failed, then `asyncStart` and `asyncEnd`. */
  settle(context: object, failed: boolean): void;
}

/** The `grantkit:token` TracingChannel when something subscribed to it; else (and outside Node) `undefined`. */
export function nodeTokenTrace(): NodeTokenTrace | undefined {
  tokenTracing ??= diagnostics()?.tracingChannel(TOKEN_TRACING_CHANNEL);
  const tracing = tokenTracing;
  // `hasSubscribers` on the TracingChannel itself came in Node 22.0; it is the start channel's otherwise.
  if (!tracing || !(tracing.hasSubscribers ?? (tracing.start.hasSubscribers || tracing.error.hasSubscribers))) {
    return undefined;
  }
  return {
    start(context, call) {
      const pending = tracing.start.runStores(context, call);
      tracing.end.publish(context);
      return pending;
    },
    settle(context, failed) {
      if (failed) tracing.error.publish(context);
      tracing.asyncStart.publish(context);
      tracing.asyncEnd.publish(context);
    },
  };
}
