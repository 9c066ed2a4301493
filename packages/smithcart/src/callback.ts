import { type AccessToken, InvalidResponseError, OAuthError, type ScopeSet, StateMismatchError } from '@grantkit/core';
import { errorCodeOf, publish } from '@grantkit/core/internal';
import { defaultStateStore } from '#default-state-store';
import * as messages from '#messages';
import { tokenFromFragment } from './fragment-token.js';
import { parseScope, type SmithCartScope } from './scope-list.js';
import type { StateStore } from './state-store.js';
import { timingSafeEqual } from './timing-safe-equal.js';

interface CommonCallbackOptions {
  /** The clock, in epoch ms, for the state's expiry and the token's. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Check the callback against the state saved by {@link createAuthorizationRequest}. */
export interface StoredStateCallbackOptions extends CommonCallbackOptions {
  /** The store given to {@link createAuthorizationRequest}; by default the same default store. */
  stateStore?: StateStore | undefined;
  expectedState?: undefined;
}

/** Check the callback against a state you kept yourself. */
export interface ExpectedStateCallbackOptions extends CommonCallbackOptions {
  /** The `state` of the authorization request. */
  expectedState: string;
  /** The scopes you requested: needed for `denied`, and taken as granted when SmithCart omits `scope` (an empty `scope=` grants nothing). */
  scope?: string | Iterable<SmithCartScope> | undefined;
  stateStore?: undefined;
}

/** Options of {@link handleCallback}. */
export type HandleCallbackOptions = StoredStateCallbackOptions | ExpectedStateCallbackOptions;

/** What {@link handleCallback} returns. */
export interface CallbackResult {
  /** The access token; its `scope` is what was granted. */
  token: AccessToken;
  /** The scopes SmithCart granted: the requested ones when it sent no `scope`, none when it sent an empty `scope=`. */
  granted: ScopeSet;
  /** The requested scopes the user unticked on the consent page. */
  denied: ScopeSet<SmithCartScope>;
}

const refused = (issue: string): InvalidResponseError =>
  new InvalidResponseError(messages.callbackMalformed, { issues: [{ path: '', message: issue }] });

const KNOWN = ['access_token', 'token_type', 'expires_in', 'scope', 'state', 'error', 'error_description', 'error_uri'];

function callbackParameters(input: string | URL): { params: Map<string, string>; callback: URL | undefined } {
  let fragment: string;
  let callback: URL | undefined;
  const relative = typeof input === 'string' && /^[#?]/.test(input);
  if (relative || typeof input !== 'string' || /^[a-z][a-z\d+.-]*:/i.test(input)) {
    try {
      callback = new URL(input, 'https://callback.invalid/');
    } catch {
      throw refused('is neither a URL nor a fragment; pass location.href');
    }
    if (callback.searchParams.has('access_token')) {
      throw refused('carries an access token in the query string, where logs see it');
    }
    fragment = callback.hash;
    if (relative) callback = undefined;
  } else {
    fragment = input;
  }
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(fragment.replace(/^#/, ''))) {
    if (seen.has(name)) {
      const shown = KNOWN.includes(name) ? `"${name}"` : 'a parameter';
      throw refused(`has ${shown} more than once (RFC 6749 §3.1)`);
    }
    seen.add(name);
    // RFC 6749 §3.1: a parameter without a value is treated as omitted; but `scope=` present and empty
    // means that no scope was granted (§5.1: only an absent `scope` means "as requested").
    if (value !== '' || name === 'scope') params.set(name, value);
  }
  return { params, callback };
}

/**
 * Completes SmithCart's implicit grant on your redirect URI. In this order it
 * reads the fragment (a duplicated parameter, or a token in the query string,
 * is an `InvalidResponseError`); checks `state` against the stored one (or
 * `expectedState`): missing, unknown, expired, already used or different is a
 * `StateMismatchError` and the token is discarded unread; maps an `error=`
 * redirect to `OAuthError`; then validates the token. A stored state works
 * once, whatever the outcome.
 *
 * @example
 * ```ts
 * // on https://www.example.com/callback.html
 * try {
 *   const { token, granted, denied } = await handleCallback(location.href);
 *   if (denied.has('orders')) showNotice('Without "orders" the order list stays empty.');
 * } finally {
 *   clearCallbackFragment();
 * }
 * ```
 * @throws {StateMismatchError} when the state does not match a pending authorization.
 * @throws {OAuthError} when SmithCart redirected with `error=`, e.g. `access_denied`.
 * @throws {InvalidResponseError} on a malformed callback or token.
 * @throws {ConfigurationError} when `scope` names an unknown scope.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export async function handleCallback(
  urlOrFragment: string | URL,
  options: HandleCallbackOptions = {},
): Promise<CallbackResult> {
  try {
    const result = await readCallback(urlOrFragment, options);
    publish('grantkit:callback', () => ({
      channel: 'grantkit:callback',
      outcome: 'granted',
      granted: result.granted.size,
      denied: result.denied.size,
    }));
    return result;
  } catch (error) {
    publish('grantkit:callback', () => ({
      channel: 'grantkit:callback',
      outcome: 'error',
      errorCode: errorCodeOf(error),
    }));
    throw error;
  }
}

async function readCallback(urlOrFragment: string | URL, options: HandleCallbackOptions): Promise<CallbackResult> {
  const now = (options.now ?? Date.now)();
  const { params, callback } = callbackParameters(urlOrFragment);
  const received = params.get('state');
  let requested: ScopeSet<SmithCartScope>;
  if (received === undefined) throw new StateMismatchError(messages.callbackWithoutState);
  if (options.expectedState !== undefined) {
    requested = parseScope(options.scope ?? []);
    if (!timingSafeEqual(options.expectedState, received)) {
      throw new StateMismatchError(messages.callbackStateNotExpected);
    }
  } else {
    const entry = await (options.stateStore ?? defaultStateStore()).take(received);
    if (!entry || !timingSafeEqual(entry.state, received)) {
      throw new StateMismatchError(messages.callbackStateUnknown);
    }
    if (entry.expiresAt <= now) throw new StateMismatchError(messages.callbackStateExpired);
    if (callback && !sameEndpoint(callback, entry.redirectUri)) {
      throw new StateMismatchError(messages.callbackOtherRedirectUri);
    }
    requested = parseScope(entry.scope);
  }
  const error = params.get('error');
  if (error !== undefined) {
    throw new OAuthError({
      error,
      errorDescription: params.get('error_description'),
      errorUri: params.get('error_uri'),
      advice: messages.callbackRefusedAdvice,
    });
  }
  const token = tokenFromFragment(params, requested, now);
  return { token, granted: token.scope, denied: requested.difference(token.scope) };
}

function sameEndpoint(callback: URL, redirectUri: string): boolean {
  try {
    const expected = new URL(redirectUri);
    return callback.origin === expected.origin && callback.pathname === expected.pathname;
  } catch {
    return false;
  }
}
