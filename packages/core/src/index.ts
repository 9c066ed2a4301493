// The public API: tokens, scopes, errors and token stores. Its import graph holds no ky: the ky client is
// `@grantkit/core/bearer`; what only the flow packages need is `@grantkit/core/internal`.
export { AccessToken, type AccessTokenInit, type StoredAccessToken } from './access-token.js';
export { defineScopes, type ScopeVocabulary } from './define-scopes.js';
export { ConfigurationError } from './errors/configuration-error.js';
export { GrantKitError, type GrantKitErrorCode, type GrantKitErrorOptions } from './errors/grant-kit-error.js';
export { HttpError, type HttpErrorDetails } from './errors/http-error.js';
export { InsufficientScopeError } from './errors/insufficient-scope-error.js';
export { InvalidResponseError, type ResponseIssue } from './errors/invalid-response-error.js';
export { type GrantKitErrorByCode, isGrantKitError } from './errors/is-grant-kit-error.js';
export { NetworkError } from './errors/network-error.js';
export { OAuthError, type OAuthErrorDetails } from './errors/oauth-error.js';
export { PopupBlockedError } from './errors/popup-blocked-error.js';
export { PopupClosedError } from './errors/popup-closed-error.js';
export { StateMismatchError } from './errors/state-mismatch-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { TokenExpiredError } from './errors/token-expired-error.js';
export type {
  CallbackEvent,
  GrantKitChannel,
  GrantKitEvent,
  HttpEvent,
  LockEvent,
  StoreEvent,
  TokenAcquireEvent,
  TokenAcquireOutcome,
  TokenAcquireReason,
  TokenCacheEvent,
} from './events/event-types.js';
export { subscribe } from './events/subscribe.js';
export { type ParseTokenResponseOptions, parseTokenResponse } from './parse-token-response.js';
export { ScopeSet } from './scope-set.js';
export {
  MemoryTokenStore,
  type TokenObtainOptions,
  type TokenStore,
  type VersionedToken,
} from './token-store.js';
