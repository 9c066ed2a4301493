import {
  type AccessToken,
  ConfigurationError,
  GrantKitError,
  HttpError,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  parseTokenResponse,
  redactBody,
  redactUrl,
  TimeoutError,
} from '@grantkit/core';
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

/** Options of {@link requestPasswordToken}: where, who, and how. */
export type PasswordTokenOptions = SmartConnectTarget &
  SmartConnectCredentials &
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
 *   username: process.env.SMARTCONNECT_USERNAME!,
 *   password: process.env.SMARTCONNECT_PASSWORD!,
 *   clientId: process.env.SMARTCONNECT_CLIENT_ID!,
 *   clientSecret: process.env.SMARTCONNECT_CLIENT_SECRET!,
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
  assertTimeout(options.timeout);
  const endpoint = new URL('token', resolveApiRoot(options));
  return sendPasswordGrant(endpoint, assertCredentials(options, ''), options);
}

/** Checks a `timeout` option: a positive number of milliseconds, or `false`. */
export function assertTimeout(timeout: unknown): void {
  if (timeout === undefined || timeout === false) return;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigurationError('`timeout` must be a positive number of milliseconds, or `false` for none.');
  }
}

/** The token request itself, for callers that validated the endpoint and the credentials already. */
export async function sendPasswordGrant(
  endpoint: URL,
  credentials: SmartConnectCredentials,
  transport: TokenTransportOptions,
): Promise<AccessToken> {
  const fetchImpl = transport.fetch ?? globalThis.fetch;
  const timeoutMs = transport.timeout ?? DEFAULT_TIMEOUT_MS;
  const callerSignal = transport.signal;
  callerSignal?.throwIfAborted();

  const target = `POST ${redactUrl(endpoint.href)}`;
  const timeout = new AbortController();
  const timer = timeoutMs === false ? undefined : setTimeout(() => timeout.abort(), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  let status: number;
  let text: string;
  try {
    const response = await fetchImpl(endpoint.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: credentials.username,
        password: credentials.password,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }).toString(),
      // A redirect would replay the credentials to wherever it points.
      redirect: 'manual',
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (timeout.signal.aborted) throw new TimeoutError(target, timeoutMs === false ? undefined : timeoutMs);
    if (error instanceof GrantKitError) throw error;
    throw new NetworkError(target, { cause: error });
    // Stryker disable next-line BlockStatement: the timer only aborts a request that has already ended; clearing it frees it sooner.
  } finally {
    // Stryker disable next-line CallExpression: as above.
    clearTimeout(timer);
  }
  return readTokenResponse(status, text, endpoint, credentials, transport.now);
}

function readTokenResponse(
  status: number,
  text: string,
  endpoint: URL,
  credentials: SmartConnectCredentials,
  now: (() => number) | undefined,
): AccessToken {
  // An endpoint that echoes the request gives these back form-encoded; redactBody scrubs every encoding.
  const secrets = [credentials.password, credentials.clientSecret];
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  // Stryker disable next-line ConditionalExpression: a body that is not JSON redacts to a string, which is no OAuth error either.
  if (isJson) {
    const oauthError = oauthErrorOf(redactBody(text, secrets), status);
    if (oauthError) throw oauthError;
  }
  if (status < 200 || status > 299) {
    // A cut-off token response is not JSON, so redactBody cannot find its fields.
    const body = !isJson && /access_token/i.test(text) ? '[REDACTED]' : redactBody(text, secrets);
    throw new HttpError({ status, method: 'POST', url: redactUrl(endpoint.href), body });
  }
  if (!isJson) {
    throw new InvalidResponseError(`The token endpoint answered ${status} with a body that is not JSON`, {
      status,
      issues: [{ path: '', message: 'must be a JSON object (application/json)' }],
    });
  }
  return parseTokenResponse(json, { status, now: now?.() });
}

/**
 * An RFC 6749 §5.2 error body becomes an {@link OAuthError}; servers send them
 * with 400, 401, 403 and even 200, so the status does not decide.
 */
function oauthErrorOf(body: unknown, status: number): OAuthError | undefined {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a string or an array has no `error` either; only null would throw (tested).
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { error, error_description: description, error_uri: uri } = body as Record<string, unknown>;
  if (typeof error !== 'string' || !ERROR_CODE.test(error)) return undefined;
  return new OAuthError({
    error,
    errorDescription: typeof description === 'string' && ERROR_CODE.test(description) ? description : undefined,
    errorUri: typeof uri === 'string' && ERROR_CODE.test(uri) ? uri : undefined,
    status,
  });
}
