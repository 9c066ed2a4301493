import { type AccessToken, ConfigurationError, OAuthError, parseTokenResponse } from '@grantkit/core';
import {
  createTransport,
  DEFAULT_ERROR_BODY_BYTES,
  httpError,
  parseJsonBody,
  redactBody,
} from '@grantkit/core/internal';
import * as messages from '#messages';
import { assertNotInBrowser } from './browser-guard.js';
import { assertCredentials, type SmartConnectCredentials } from './credentials.js';
import { resolveApiRoot, type SmartConnectTarget } from './regions.js';

/** How a token request is sent; shared by {@link requestPasswordToken} and the client. */
export interface TokenTransportOptions {
  /** Cancels the request; the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** A `fetch` to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch | undefined;
  /** Milliseconds before the request fails with `TimeoutError`, or `false` for none. Default 10,000. */
  timeout?: number | false | undefined;
  /** The clock used to turn `expires_in` into `expiresAt`, in epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * The four credentials as flat options, as the first design had them.
 * @deprecated Pass them as `credentials: { username, password, clientId, clientSecret }`, as `createSmartConnectClient` takes them.
 */
export interface FlatPasswordCredentials {
  /** @deprecated Use `credentials.username`. */
  username: string;
  /** @deprecated Use `credentials.password`. */
  password: string;
  /** @deprecated Use `credentials.clientId`. */
  clientId: string;
  /** @deprecated Use `credentials.clientSecret`. */
  clientSecret: string;
  credentials?: undefined;
}

/** The credentials of {@link requestPasswordToken}: `credentials: { … }` (or, deprecated, the four flat fields). */
export type PasswordTokenCredentials =
  | {
      credentials: SmartConnectCredentials;
      username?: undefined;
      password?: undefined;
      clientId?: undefined;
      clientSecret?: undefined;
    }
  | FlatPasswordCredentials;

/** Options of {@link requestPasswordToken}: where, who, and how. */
export type PasswordTokenOptions = SmartConnectTarget &
  PasswordTokenCredentials &
  TokenTransportOptions & {
    /** Allow running in a browser, where the client secret would be public. Default `false`. */
    dangerouslyAllowBrowser?: boolean | undefined;
  };

const DEFAULT_TIMEOUT_MS = 10_000;
// RFC 6749 §5.2: error codes and descriptions are limited to these characters.
const ERROR_CODE = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Asks SmartConnect for an access token with the Resource Owner Password
 * Credentials grant: a `POST` to the region's `/token` endpoint with an
 * `application/x-www-form-urlencoded` body of `grant_type=password`,
 * `username`, `password`, `client_id` and `client_secret`.
 *
 * Most applications want {@link createSmartConnectClient}, which caches and
 * renews the token; use this when you manage tokens yourself.
 *
 * @example
 * ```ts
 * const token = await requestPasswordToken({
 *   region: 'NA',
 *   credentials: {
 *     username: process.env.SMARTCONNECT_USERNAME!,
 *     password: process.env.SMARTCONNECT_PASSWORD!,
 *     clientId: process.env.SMARTCONNECT_CLIENT_ID!,
 *     clientSecret: process.env.SMARTCONNECT_CLIENT_SECRET!,
 *   },
 * });
 * await fetch('https://apina.smartconnect.com/api/v1/me', { headers: { authorization: token.authorizationHeader() } });
 * ```
 * @throws {OAuthError} when the provider answers an RFC 6749 §5.2 error, whatever the status
 *   (`invalid_grant`: wrong username or password; `invalid_client`: wrong client id or secret).
 * @throws {HttpError} for any other non-2xx answer. {@link InvalidResponseError} for a 2xx answer
 *   that is not a token response. {@link NetworkError}, {@link TimeoutError} when no answer came.
 * @throws {ConfigurationError} for a missing credential, an unknown region, an insecure URL, or in a browser.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 */
export async function requestPasswordToken(options: PasswordTokenOptions): Promise<AccessToken> {
  assertNotInBrowser(options.dangerouslyAllowBrowser);
  const timeout = timeoutOption(options.timeout);
  const endpoint = new URL('token', resolveApiRoot(options));
  return passwordGrant(endpoint, credentialsOf(options), { ...options, timeout })();
}

function credentialsOf(options: PasswordTokenCredentials): SmartConnectCredentials {
  if (options.credentials === undefined) return assertCredentials(options, '');
  const flat = ['username', 'password', 'clientId', 'clientSecret'] as const;
  if (flat.some((field) => options[field] !== undefined)) {
    throw new ConfigurationError(messages.credentialsTwice);
  }
  return assertCredentials(options.credentials, 'credentials.');
}

/** A `timeout` option as given (a positive number of milliseconds, or `false`), or its default: 10,000. */
export function timeoutOption(timeout: unknown): number | false {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  if (timeout !== false && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new ConfigurationError(messages.timeoutInvalid);
  }
  return timeout;
}

/**
 * The token request of one endpoint and one set of credentials, for callers that validated both already:
 * every call sends one request through core's transport (timeout, origin pinning, no redirect off the
 * endpoint's origin, 1 MiB cap) and reads the answer with core's response reader. `timeout` is resolved.
 */
export function passwordGrant(
  endpoint: URL,
  credentials: SmartConnectCredentials,
  options: TokenTransportOptions & { timeout: number | false },
): (parentId?: number) => Promise<AccessToken> {
  const { username, password, clientId, clientSecret } = credentials;
  const transport = createTransport({
    root: endpoint,
    fetch: options.fetch,
    timeout: options.timeout,
    maxBodyBytes: DEFAULT_ERROR_BODY_BYTES,
    // An endpoint that echoes the request gives these back encoded; the reader scrubs every encoding.
    secrets: [username, password, clientId, clientSecret],
  });
  const body = new URLSearchParams({
    grant_type: 'password',
    username,
    password,
    client_id: clientId,
    client_secret: clientSecret,
  }).toString();
  // `parentId`: the token acquisition (see core's events) this request belongs to.
  return async (parentId) => {
    options.signal?.throwIfAborted();
    const request = new Request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const response = await transport.fetch(request, { purpose: 'token', parentId });
    const exchange = transport.exchange(request);
    const text = await response.text();
    const oauthError = oauthErrorOf(text, exchange.secrets, response.status);
    if (oauthError) throw oauthError;
    if (!response.ok) throw httpError(response.status, text, exchange);
    return parseTokenResponse(parseJsonBody(text, response.status, exchange), {
      status: response.status,
      now: options.now ?? Date.now,
    });
  };
}

/**
 * An RFC 6749 §5.2 error body becomes an {@link OAuthError} with SmartConnect's advice; servers send them
 * with 400, 401, 403 and even 200, so the status does not decide.
 */
function oauthErrorOf(text: string, secrets: readonly string[], status: number): OAuthError | undefined {
  // Text that is not JSON comes back as a string: no error object.
  const body = redactBody(text, secrets);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { error, error_description: description, error_uri: uri } = body as Record<string, unknown>;
  if (typeof error !== 'string' || !ERROR_CODE.test(error)) return undefined;
  return new OAuthError({
    error,
    errorDescription: typeof description === 'string' && ERROR_CODE.test(description) ? description : undefined,
    errorUri: typeof uri === 'string' && ERROR_CODE.test(uri) ? uri : undefined,
    status,
    advice: messages.oauthAdvice(error),
  });
}
