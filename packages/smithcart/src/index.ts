// What users need from @grantkit/core, so that an app imports this package only (pnpm does not hoist core).
// Its events (core's subscribe() and their payloads), for the same reason.
export {
  AccessToken,
  type CallbackEvent,
  ConfigurationError,
  type GrantKitChannel,
  GrantKitError,
  type GrantKitErrorByCode,
  type GrantKitErrorCode,
  type GrantKitEvent,
  HttpError,
  type HttpEvent,
  InsufficientScopeError,
  InvalidResponseError,
  isGrantKitError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  type ResponseIssue,
  ScopeSet,
  StateMismatchError,
  subscribe,
  TimeoutError,
  TokenExpiredError,
} from '@grantkit/core';
export {
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  createAuthorizationRequest,
} from './authorize.js';
export {
  type CallbackResult,
  type ExpectedStateCallbackOptions,
  type HandleCallbackOptions,
  handleCallback,
  type StoredStateCallbackOptions,
} from './callback.js';
export { clearCallbackFragment } from './clear-callback-fragment.js';
export {
  createSmithCartClient,
  type SmithCartClient,
  type SmithCartClientOptions,
  type SmithCartCreated,
  type SmithCartPaginateOptions,
  type SmithCartReadOptions,
} from './client.js';
export { type LinkHeaderEntry, parseLinkHeader } from './link-header.js';
export { MemoryStateStore, type MemoryStateStoreOptions } from './memory-state-store.js';
export type { SmithCartPage } from './paginate.js';
export { requiredScope } from './required-scope.js';
export type { SmithCartPath, SmithCartRequestOptions, SmithCartTokenSource } from './rest-exchange.js';
export { SMITHCART_SCOPES, type SmithCartScope } from './scopes.js';
export { authorizeInPopup, type PopupAuthorizationOptions } from './session/authorize-in-popup.js';
export {
  createSmithCartSession,
  type SmithCartSession,
  type SmithCartSessionOptions,
} from './session/create-smithcart-session.js';
export { handOverPopupCallback } from './session/hand-over-popup-callback.js';
export {
  SessionStorageStateStore,
  type SessionStorageStateStoreOptions,
  type StateStorage,
} from './session-storage-state-store.js';
export type { StateEntry, StateStore } from './state-store.js';
export { userPath } from './user-path.js';
