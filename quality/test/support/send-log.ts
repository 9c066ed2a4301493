import { expect } from '@jest/globals';

/** What a client did, in order: each request sent (with the token it carried) and each renewal it completed. */
export type SendEvent = { type: 'sent'; token: string } | { type: 'renewed'; token: string };

/** A `fetch` that notes the bearer token of every request to a path under `apiPrefix` before sending it. */
export function loggingFetch(log: SendEvent[], apiPrefix: string): typeof fetch {
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (new URL(request.url).pathname.startsWith(apiPrefix)) {
      log.push({ type: 'sent', token: (request.headers.get('authorization') ?? '').replace(/^Bearer /i, '') });
    }
    return fetch(request, init);
  };
}

/**
 * Checks that once a renewal completed, no request was sent with a token
 * older than the one it brought.
 */
export function expectNoStaleTokenAfterRenewal(log: readonly SendEvent[]): void {
  const retired = new Set<string>();
  let current: string | undefined;
  const stale: string[] = [];
  for (const event of log) {
    if (event.type === 'renewed') {
      if (current !== undefined && current !== event.token) retired.add(current);
      current = event.token;
    } else if (retired.has(event.token)) {
      stale.push(event.token);
    }
  }
  expect(stale).toEqual([]);
}
