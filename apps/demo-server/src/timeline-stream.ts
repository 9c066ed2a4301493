import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { TimelineEntry, TokenTimeline } from './token-timeline.js';

/** The event name of the stream's messages: each carries the whole timeline (JSON, newest first). */
const TIMELINE_EVENT = 'timeline';

/**
 * Streams `timeline` as server-sent events: the entries at once, then again
 * after each new one. The stream ends when the browser goes away, when the
 * session ends, or when the server stops.
 */
export function timelineStream(c: Context, timeline: TokenTimeline): Response {
  const response = streamSSE(c, async (stream) => {
    const send = (entries: readonly TimelineEntry[]) =>
      stream.writeSSE({ event: TIMELINE_EVENT, data: JSON.stringify(entries) });
    await new Promise<void>((resolve) => {
      const unwatch = timeline.watch({ update: (entries) => void send(entries), end: resolve });
      stream.onAbort(() => {
        unwatch();
        resolve();
      });
      void send(timeline.entries);
    });
  });
  // Not kept alive once ended: a stopping server then has no idle connection left to wait for.
  response.headers.set('connection', 'close');
  return response;
}
