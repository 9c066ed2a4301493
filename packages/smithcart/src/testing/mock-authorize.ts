import { ConfigurationError } from '@grantkit/core';
import { isScopeToken } from '@grantkit/core/internal';
import type { MockSmithCartClient } from './demo-data.js';
import { consentPage, errorPage, htmlHeaders, SCOPES } from './html-pages.js';
import type { MockState } from './mock-state.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';

const TICKET_TTL_MS = 10 * 60_000;
const MAX_TICKETS = 10_000;

interface ConsentTicket {
  client: MockSmithCartClient;
  redirectUri: string;
  scopes: readonly string[];
  state: string | undefined;
  expiresAt: number;
}

function htmlError(status: number, message: string): Response {
  return new Response(errorPage(message), { status, headers: htmlHeaders() });
}

/** A 302 to the client's redirect URI with the response in the fragment (RFC 6749 §4.2.2 and §4.2.2.1). */
function redirectWith(redirectUri: string, params: Record<string, string | number | undefined>): Response {
  const fragment = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return new Response(null, {
    status: 302,
    headers: { location: `${redirectUri}#${fragment}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

function randomTicket(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The requested scopes, or `undefined` when the `scope` parameter is malformed or names an unknown scope. */
function requestedScopes(scope: string | null): string[] | undefined {
  if (scope === null || scope.trim() === '') return ['public'];
  const tokens = scope.split(' ').filter((token) => token !== '');
  if (!tokens.every((token) => isScopeToken(token) && Object.hasOwn(SCOPES, token))) return undefined;
  return [...new Set(tokens)];
}

/** How a test answers the consent page; see {@link MockSmithCart.consent}. */
export interface MockConsentAnswer {
  /** Default `'approve'`. */
  decision?: 'approve' | 'deny' | undefined;
  /** The user who answers. Default: the mock's first user. */
  username?: string | undefined;
  /** The scopes left ticked (a list or a space-separated string). Default: every requested scope. */
  scope?: readonly string[] | string | undefined;
}

/** The authorize endpoint: the fetch handler part, and the same logic for tests without HTML. */
export interface AuthorizeEndpoint {
  handle(request: Request, url: URL): Promise<Response>;
  consent(authorizeUrl: string | URL, answer?: MockConsentAnswer): string;
}

type Opened = { ticket: string; pending: ConsentTicket } | { refused: string } | { redirect: Response };

/**
 * SmithCart's authorize endpoint (served at `/oauth2/authorize` and
 * `/oauth2/authorize.json`): GET validates and shows the consent page, POST
 * takes the decision from it.
 */
export function createAuthorizeEndpoint(state: MockState): AuthorizeEndpoint {
  const tickets = new Map<string, ConsentTicket>();

  const open = (url: URL): Opened => {
    const params = url.searchParams;
    const single = (name: string) => (params.getAll(name).length > 1 ? undefined : params.get(name));
    const clientId = single('client_id');
    const client = state.clients.find((candidate) => candidate.clientId === clientId);
    if (!clientId || !client) {
      return { refused: 'Unknown client_id: this application is not registered with SmithCart.' };
    }
    const redirectUri = single('redirect_uri');
    if (!redirectUri || !isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
      return { refused: 'The redirect_uri is missing or not registered for this application.' };
    }
    // From here on errors go back to the application (RFC 6749 §4.2.2.1).
    const repeated = ['response_type', 'scope', 'state'].find((name) => params.getAll(name).length > 1);
    if (repeated) {
      return {
        redirect: redirectWith(redirectUri, {
          error: 'invalid_request',
          error_description: `The ${repeated} parameter was sent more than once.`,
        }),
      };
    }
    const stateParam = params.get('state') ?? undefined;
    const responseType = params.get('response_type');
    if (responseType !== 'token') {
      return {
        redirect: redirectWith(redirectUri, {
          error: responseType === null ? 'invalid_request' : 'unsupported_response_type',
          error_description: 'response_type must be token.',
          state: stateParam,
        }),
      };
    }
    const scopes = requestedScopes(params.get('scope'));
    if (!scopes) {
      return {
        redirect: redirectWith(redirectUri, {
          error: 'invalid_scope',
          error_description: `The scope must be a space-separated list of: ${Object.keys(SCOPES).join(', ')}.`,
          state: stateParam,
        }),
      };
    }
    const now = state.now();
    for (const [id, pending] of tickets) {
      if (pending.expiresAt <= now || tickets.size >= MAX_TICKETS) tickets.delete(id);
    }
    const ticket = randomTicket();
    const pending = { client, redirectUri, scopes, state: stateParam, expiresAt: now + TICKET_TTL_MS };
    tickets.set(ticket, pending);
    return { ticket, pending };
  };

  const show = (url: URL): Response => {
    const opened = open(url);
    if ('refused' in opened) return htmlError(400, opened.refused);
    if ('redirect' in opened) return opened.redirect;
    const { ticket, pending } = opened;
    const html = consentPage({ action: url.pathname, ticket, users: state.users, ...pending });
    return new Response(html, { status: 200, headers: htmlHeaders(`'self' ${new URL(pending.redirectUri).origin}`) });
  };

  const decide = (form: URLSearchParams): Response => {
    const id = form.get('ticket') ?? '';
    const ticket = tickets.get(id);
    tickets.delete(id);
    if (!ticket || ticket.expiresAt <= state.now()) {
      return htmlError(400, 'This consent form has expired or was already used; start the authorization again.');
    }
    const decision = form.get('decision');
    if (decision === 'deny') {
      return redirectWith(ticket.redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied the authorization request.',
        state: ticket.state,
      });
    }
    const username = form.get('username') ?? state.users[0]?.username;
    if (decision !== 'approve' || !username || !state.users.some((user) => user.username === username)) {
      return htmlError(400, 'Choose Approve or Deny as a known user on the consent page.');
    }
    const ticked = new Set(form.getAll('scope'));
    const granted = ticket.scopes.filter((scope) => scope === 'public' || ticked.has(scope));
    return redirectWith(ticket.redirectUri, { ...state.issue(username, granted), state: ticket.state });
  };

  const locationOf = (response: Response): string => {
    const location = response.headers.get('location');
    if (location === null) {
      throw new ConfigurationError('The mock SmithCart refused the consent answer; check `username` and `decision`.');
    }
    return location;
  };

  return {
    async handle(request, url) {
      state.stats.authorizeRequests += 1;
      if (request.method === 'GET' || request.method === 'HEAD') return show(url);
      if (request.method === 'POST') return decide(new URLSearchParams(await request.text()));
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD, POST' } });
    },
    consent(authorizeUrl, answer = {}) {
      state.stats.authorizeRequests += 2;
      const opened = open(new URL(authorizeUrl));
      if ('refused' in opened)
        throw new ConfigurationError(`The mock SmithCart shows an error page: ${opened.refused}`);
      if ('redirect' in opened) return locationOf(opened.redirect);
      const form = new URLSearchParams({ ticket: opened.ticket, decision: answer.decision ?? 'approve' });
      if (answer.username !== undefined) form.set('username', answer.username);
      const ticked =
        typeof answer.scope === 'string' ? answer.scope.split(' ') : (answer.scope ?? opened.pending.scopes);
      for (const scope of ticked) form.append('scope', scope);
      return locationOf(decide(form));
    },
  };
}
