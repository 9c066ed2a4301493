import { AccessToken } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';

/** One API request as the authority saw it. */
interface ApiArrival {
  /** The bearer token it carried. */
  token: string;
  /** Whether it was accepted. */
  accepted: boolean;
}

/**
 * A minimal bearer-token authority for the core client's load test:
 * `POST /token` issues `token-1`, `token-2`, …; `GET /api/…` accepts only the
 * newest unrevoked, unexpired token and answers 401 otherwise.
 */
export interface TokenAuthority {
  readonly url: string;
  /** Tokens issued so far. */
  readonly issued: number;
  /** Every API request in arrival order. */
  readonly arrivals: readonly ApiArrival[];
  /** Runs `listener` as each API request arrives, before it is answered. */
  onArrival(listener: (count: number) => void): void;
  /** Stops accepting the current token (it expired or was revoked): the API answers 401 to it. */
  invalidateCurrent(): void;
  /** Asks for a new token, as a client's renewal does. */
  requestToken(): Promise<AccessToken>;
  close(): Promise<void>;
}

export async function startTokenAuthority(): Promise<TokenAuthority> {
  let issued = 0;
  let valid: string | undefined;
  const arrivals: ApiArrival[] = [];
  let listener: (count: number) => void = () => undefined;
  const served: ServedHandler = await serveFetchHandler(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/token' && request.method === 'POST') {
      issued += 1;
      valid = `token-${issued}`;
      // A token request takes a moment, as real ones do, so that concurrent 401s pile up behind it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return Response.json({ access_token: valid, token_type: 'bearer' });
    }
    const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
    const accepted = token !== '' && token === valid;
    arrivals.push({ token, accepted });
    listener(arrivals.length);
    return accepted ? Response.json({ ok: true }) : new Response(null, { status: 401 });
  });
  return {
    url: served.url,
    get issued() {
      return issued;
    },
    arrivals,
    onArrival(next) {
      listener = next;
    },
    invalidateCurrent() {
      valid = undefined;
    },
    async requestToken() {
      const response = await fetch(`${served.url}/token`, { method: 'POST' });
      const body = (await response.json()) as { access_token: string };
      return new AccessToken({ value: body.access_token });
    },
    close: () => served.close(),
  };
}
