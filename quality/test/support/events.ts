import diagnosticsChannel from 'node:diagnostics_channel';
import { subscribe } from '@grantkit/core';

const CHANNELS = ['grantkit:http', 'grantkit:token:cache', 'grantkit:lock', 'grantkit:store', 'grantkit:callback'];

/** Records every grantkit event, through subscribe() and through Node's diagnostics channels, until `stop()`. */
export function recordEvents(): { events: unknown[]; stop: () => void } {
  const events: unknown[] = [];
  const push = (message: unknown) => {
    // Snapshots: the token TracingChannel's context object changes between phases.
    events.push(structuredClone(message));
  };
  const tracing = diagnosticsChannel.tracingChannel('grantkit:token');
  const handlers = { start: push, end: push, asyncStart: push, asyncEnd: push, error: push };
  const stopSubscribe = subscribe(push);
  for (const channel of CHANNELS) diagnosticsChannel.subscribe(channel, push);
  tracing.subscribe(handlers);
  return {
    events,
    stop() {
      stopSubscribe();
      for (const channel of CHANNELS) diagnosticsChannel.unsubscribe(channel, push);
      tracing.unsubscribe(handlers);
    },
  };
}
