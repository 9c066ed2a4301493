import { ConfigurationError } from '@grantkit/core';
import { assertSecureUrl } from '@grantkit/core/internal';
import { defaultStateStore } from '#default-state-store';
import * as messages from '#messages';
import { parseScope, type SmithCartScope } from './scope-list.js';
import type { StateStore } from './state-store.js';

/** Options of {@link createAuthorizationRequest}. */
export interface AuthorizationRequestOptions {
  /** SmithCart's base URL, e.g. `https://api.example.com`. `https:` unless loopback. */
  baseUrl: string | URL;
  /** Your application's client ID. */
  clientId: string;
  /** Your registered callback URI, sent exactly as given. `https:` unless loopback; no fragment. */
  redirectUri: string | URL;
  /** The scopes to request: a space-separated string or a list. */
  scope: string | Iterable<SmithCartScope>;
  /** A state of your own; by default 256 random bits, base64url. */
  state?: string | undefined;
  /** Where the state waits for the callback; see `defaultStateStore()`. */
  stateStore?: StateStore | undefined;
  /** The authorize endpoint, resolved against `baseUrl` (SmithCart's document also names `/oauth2/authorize.json`). Default `/oauth2/authorize`. */
  authorizePath?: string | undefined;
  /** How long the state is accepted, in ms: positive and finite (0 is a `ConfigurationError`). Default 10 minutes. */
  stateTtlMs?: number | undefined;
  /** The clock, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** What {@link createAuthorizationRequest} returns. */
export interface AuthorizationRequest {
  /** Where to send the user's browser. */
  url: string;
  /** The state that the callback must carry back. */
  state: string;
}

/** RFC 6749 Appendix A.5: state = 1*VSCHAR. */
const VSCHARS = /^[\x20-\x7E]+$/;

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      // Stryker disable next-line Regex: 32 bytes end in exactly one '=', the only one, so /=+/ and /=$/ strip the same.
      .replace(/=+$/, '')
  );
}

/**
 * `stateTtlMs` checked, or its default of 10 minutes. 0 is refused like any other non-positive value: a state
 * that expires as it is saved would fail every callback with `StateMismatchError`.
 * @throws {ConfigurationError} unless a positive, finite number of milliseconds.
 */
export function stateTtl(ms: number | undefined): number {
  const ttl = ms ?? 600_000;
  if (!(ttl > 0 && ttl < Number.POSITIVE_INFINITY)) {
    throw new ConfigurationError(messages.stateTtlInvalid);
  }
  return ttl;
}

/**
 * Builds the URL that starts SmithCart's implicit grant and remembers its
 * `state` (with the requested scope and redirect URI) for {@link handleCallback}.
 *
 * @example
 * ```ts
 * const { url } = await createAuthorizationRequest({
 *   baseUrl: 'https://api.example.com',
 *   clientId: 'Y2XPZW50Q31A',
 *   redirectUri: 'https://www.example.com/callback.html',
 *   scope: ['private', 'orders'],
 * });
 * location.assign(url);
 * ```
 * @throws {ConfigurationError} on a non-https URL, an unknown scope or a malformed option.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1
 */
export async function createAuthorizationRequest(options: AuthorizationRequestOptions): Promise<AuthorizationRequest> {
  const base = assertSecureUrl(options.baseUrl, 'baseUrl');
  const redirectUri = String(options.redirectUri);
  if (assertSecureUrl(redirectUri, 'redirectUri').hash) {
    throw new ConfigurationError(messages.redirectUriHasFragment);
  }
  if (typeof options.clientId !== 'string' || !VSCHARS.test(options.clientId)) {
    throw new ConfigurationError(messages.clientIdInvalid);
  }
  const state = options.state ?? randomState();
  if (typeof state !== 'string' || !VSCHARS.test(state)) {
    throw new ConfigurationError(messages.stateInvalid);
  }
  const scope = parseScope(options.scope).toString();
  let url: URL | undefined;
  try {
    url = new URL(options.authorizePath ?? '/oauth2/authorize', base);
  } catch {}
  if (url?.origin !== base.origin) {
    throw new ConfigurationError(messages.authorizePathOffBase);
  }
  const ttl = stateTtl(options.stateTtlMs);
  const query = new URLSearchParams({ response_type: 'token', client_id: options.clientId, redirect_uri: redirectUri });
  if (scope) query.set('scope', scope);
  query.set('state', state);
  url.search = query.toString();
  await (options.stateStore ?? defaultStateStore()).save({
    state,
    scope,
    redirectUri,
    expiresAt: (options.now ?? Date.now)() + ttl,
  });
  return { url: url.href, state };
}
