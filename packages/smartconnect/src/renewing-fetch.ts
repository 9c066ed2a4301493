import type { AccessToken } from '@grantkit/core';

/** What {@link renewingFetch} needs. */
export interface RenewingFetchOptions {
  /** The `fetch` that sends; the global one when `undefined`, looked up at call time. */
  fetch: typeof fetch | undefined;
  /** The token that requests are sent with now. */
  currentToken: () => AccessToken | Promise<AccessToken>;
  /** Gets a new token after the API refused the current one. */
  renew: () => Promise<unknown>;
}

/**
 * A `fetch` that answers a 401 by renewing the token once and sending the
 * request again with the new one. A request refused with a token that was
 * already replaced is only resent, so concurrent 401s cause one renewal.
 *
 * This lives at the fetch level rather than in a ky `afterResponse` hook
 * because ky clones every response for each such hook, which costs about a
 * fifth of the throughput on loopback.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function renewingFetch(options: RenewingFetchOptions): typeof fetch {
  const { currentToken, renew } = options;
  return async (input, init) => {
    const send = options.fetch ?? globalThis.fetch;
    const request = input instanceof Request ? input : new Request(input, init);
    // A body can be read once: keep a copy to resend. Most API calls have none.
    const replay = request.body === null ? request : request.clone();
    const response = await send(request, init);
    if (response.status !== 401) return response;

    if (request.headers.get('authorization') === (await currentToken()).authorizationHeader()) await renew();
    const retry = new Request(replay);
    retry.headers.set('authorization', (await currentToken()).authorizationHeader());
    response.body?.cancel().catch(() => undefined);
    return send(retry, init);
  };
}
