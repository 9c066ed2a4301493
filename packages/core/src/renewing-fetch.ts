/** What {@link renewingFetch} needs. */
export interface RenewingFetchOptions {
  /** The `fetch` that sends. */
  fetch: typeof fetch;
  /** The `Authorization` value requests are sent with now. */
  authorization: () => Promise<string>;
  /** Gets a new token after the API refused the current one; concurrent callers must share one call. */
  renew: () => Promise<unknown>;
}

function discard(body: ReadableStream | null): void {
  // A stream that is already locked or consumed has nothing left to release.
  body?.cancel().catch(() => undefined);
}

/**
 * A `fetch` that answers a 401 by renewing the token and sending the request
 * once more with the new one; a second 401 is returned as it is. A request
 * refused with a token that was already replaced is only resent, so
 * concurrent 401s cause one renewal.
 *
 * This sits beneath ky rather than in an `afterResponse` hook because ky
 * clones every response for each such hook, a cost paid by every request.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function renewingFetch(options: RenewingFetchOptions): typeof fetch {
  const { fetch: send, authorization, renew } = options;
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    // A body can be read once: keep a copy to resend. Most API calls have none.
    const replay = request.body === null ? undefined : request.clone();
    const response = await send(request, request === input ? init : undefined);
    if (response.status !== 401) {
      discard(replay?.body ?? null);
      return response;
    }

    discard(response.body);
    if (request.headers.get('authorization') === (await authorization())) await renew();
    const retry = new Request(replay ?? request);
    retry.headers.set('authorization', await authorization());
    return send(retry, request === input ? init : undefined);
  };
}
