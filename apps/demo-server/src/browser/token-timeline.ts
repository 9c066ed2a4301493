import { type TimelineEntry, timelineTime } from '../token-timeline.js';
import { h } from './dom.js';

/** The stream `GET /smartconnect/timeline` sends; see `src/timeline-stream.ts`. */
const STREAM_PATH = '/smartconnect/timeline';
const TIMELINE_EVENT = 'timeline';

/** One line of the timeline, as `src/home-page.ts` renders it on the server. */
function timelineItem(entry: TimelineEntry): HTMLElement {
  const duration =
    entry.durationMs === undefined ? undefined : h('span', { class: 'duration' }, `${Math.round(entry.durationMs)} ms`);
  return h(
    'li',
    { 'data-id': String(entry.id), 'data-kind': entry.kind, 'data-reason': entry.reason ?? '' },
    h('time', { datetime: new Date(entry.at).toISOString() }, timelineTime(entry.at)),
    ' ',
    h('span', { class: 'what' }, entry.text),
    ' ',
    duration,
  );
}

/**
 * Keeps `list` in step with the session's token timeline, streamed by the
 * server. Only new lines are added, so that a screen reader announces those
 * and not the whole list again.
 */
export function mountTokenTimeline(list: HTMLElement): void {
  const source = new EventSource(STREAM_PATH);
  source.addEventListener(TIMELINE_EVENT, (event) => {
    const entries = JSON.parse((event as MessageEvent<string>).data) as TimelineEntry[];
    const newest = Number(list.firstElementChild?.getAttribute('data-id') ?? 0);
    // Ids only grow within one timeline; smaller ones mean the server started a new one.
    if ((entries[0]?.id ?? 0) < newest) list.replaceChildren();
    const shown = Number(list.firstElementChild?.getAttribute('data-id') ?? 0);
    list.prepend(...entries.filter((entry) => entry.id > shown).map(timelineItem));
    while (list.children.length > entries.length) list.lastElementChild?.remove();
  });
  // Leaving the page closes the stream at once, so the server frees it.
  addEventListener('pagehide', () => source.close());
}
