import type { ConfigurationError } from './configuration-error.js';
import { GrantKitError, type GrantKitErrorCode } from './grant-kit-error.js';
import type { HttpError } from './http-error.js';
import type { InsufficientScopeError } from './insufficient-scope-error.js';
import type { InvalidResponseError } from './invalid-response-error.js';
import type { NetworkError } from './network-error.js';
import type { OAuthError } from './oauth-error.js';
import type { PopupBlockedError } from './popup-blocked-error.js';
import type { PopupClosedError } from './popup-closed-error.js';
import type { StateMismatchError } from './state-mismatch-error.js';
import type { TimeoutError } from './timeout-error.js';
import type { TokenExpiredError } from './token-expired-error.js';

/** The error class behind each code. */
export interface GrantKitErrorByCode {
  oauth_error: OAuthError;
  state_mismatch: StateMismatchError;
  invalid_response: InvalidResponseError;
  http_error: HttpError;
  network_error: NetworkError;
  timeout: TimeoutError;
  token_expired: TokenExpiredError;
  insufficient_scope: InsufficientScopeError;
  configuration_error: ConfigurationError;
  popup_blocked: PopupBlockedError;
  popup_closed: PopupClosedError;
}

const nameByCode: Readonly<Record<GrantKitErrorCode, string>> = {
  oauth_error: 'OAuthError',
  state_mismatch: 'StateMismatchError',
  invalid_response: 'InvalidResponseError',
  http_error: 'HttpError',
  network_error: 'NetworkError',
  timeout: 'TimeoutError',
  token_expired: 'TokenExpiredError',
  insufficient_scope: 'InsufficientScopeError',
  configuration_error: 'ConfigurationError',
  popup_blocked: 'PopupBlockedError',
  popup_closed: 'PopupClosedError',
};

/**
 * Whether `value` is a grantkit error, optionally of one `code`. It matches on
 * the shape `{ name, code }` (a known `code` with its class's `name`) rather than
 * only `instanceof`, so it works across realms and duplicated installs.
 *
 * @example
 * ```ts
 * if (isGrantKitError(error, 'oauth_error') && error.error === 'invalid_grant') askForPasswordAgain();
 * ```
 */
export function isGrantKitError(value: unknown): value is GrantKitError;
export function isGrantKitError<C extends GrantKitErrorCode>(value: unknown, code: C): value is GrantKitErrorByCode[C];
export function isGrantKitError(value: unknown, code?: GrantKitErrorCode): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { code: actual, name } = value as { code?: unknown; name?: unknown };
  if (typeof actual !== 'string' || !Object.hasOwn(nameByCode, actual)) return false;
  if (code !== undefined && actual !== code) return false;
  // Narrowing to a subclass needs that subclass's name; the bare check also takes the root class.
  const shaped = name === nameByCode[actual as GrantKitErrorCode];
  return code === undefined ? shaped || value instanceof GrantKitError : shaped;
}
