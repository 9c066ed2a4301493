import { isScopeToken } from '@grantkit/core';
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

/**
 * SmithCart's authorize endpoint (served at `/oauth2/authorize` and
 * `/oauth2/authorize.json`): GET validates and shows the consent page, POST
 * takes the decision from it.
 */
export function createAuthorizeEndpoint(state: MockState): (request: Request, url: URL) => Promise<Response> {
  const tickets = new Map<string, ConsentTicket>();

  const show = (url: URL): Response => {
    const params = url.searchParams;
    const single = (name: string) => (params.getAll(name).length > 1 ? undefined : params.get(name));
    const clientId = single('client_id');
    const client = state.clients.find((candidate) => candidate.clientId === clientId);
    if (!clientId || !client) {
      return htmlError(400, 'Unknown client_id: this application is not registered with SmithCart.');
    }
    const redirectUri = single('redirect_uri');
    if (!redirectUri || !isRegisteredRedirectUri(client.redirectUris, redirectUri)) {
      return htmlError(400, 'The redirect_uri is missing or not registered for this application.');
    }
    // From here on errors go back to the application (RFC 6749 §4.2.2.1).
    const repeated = ['response_type', 'scope', 'state'].find((name) => params.getAll(name).length > 1);
    if (repeated) {
      return redirectWith(redirectUri, {
        error: 'invalid_request',
        error_description: `The ${repeated} parameter was sent more than once.`,
      });
    }
    const stateParam = params.get('state') ?? undefined;
    const responseType = params.get('response_type');
    if (responseType !== 'token') {
      return redirectWith(redirectUri, {
        error: responseType === null ? 'invalid_request' : 'unsupported_response_type',
        error_description: 'response_type must be token.',
        state: stateParam,
      });
    }
    const scopes = requestedScopes(params.get('scope'));
    if (!scopes) {
      return redirectWith(redirectUri, {
        error: 'invalid_scope',
        error_description: `The scope must be a space-separated list of: ${Object.keys(SCOPES).join(', ')}.`,
        state: stateParam,
      });
    }
    const now = state.now();
    for (const [id, pending] of tickets) {
      if (pending.expiresAt <= now || tickets.size >= MAX_TICKETS) tickets.delete(id);
    }
    const ticket = randomTicket();
    tickets.set(ticket, { client, redirectUri, scopes, state: stateParam, expiresAt: now + TICKET_TTL_MS });
    const html = consentPage({ action: url.pathname, ticket, client, redirectUri, scopes, users: state.users });
    return new Response(html, { status: 200, headers: htmlHeaders(`'self' ${new URL(redirectUri).origin}`) });
  };

  const decide = async (request: Request): Promise<Response> => {
    const form = new URLSearchParams(await request.text());
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
    if (decision !== 'approve' || !state.users.some((user) => user.username === username) || !username) {
      return htmlError(400, 'Choose Approve or Deny as a known user on the consent page.');
    }
    const ticked = new Set(form.getAll('scope'));
    const granted = ticket.scopes.filter((scope) => scope === 'public' || ticked.has(scope));
    return redirectWith(ticket.redirectUri, { ...state.issue(username, granted), state: ticket.state });
  };

  return async (request, url) => {
    state.stats.authorizeRequests += 1;
    if (request.method === 'GET' || request.method === 'HEAD') return show(url);
    if (request.method === 'POST') return decide(request);
    return new Response(null, { status: 405, headers: { allow: 'GET, HEAD, POST' } });
  };
}
