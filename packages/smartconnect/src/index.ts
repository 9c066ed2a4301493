// The errors this package can throw, so users import one package.
// Its events (core's subscribe() and their payloads), for the same reason.
export {
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
  type LockEvent,
  NetworkError,
  OAuthError,
  type ResponseIssue,
  StateMismatchError,
  type StoreEvent,
  subscribe,
  TimeoutError,
  type TokenAcquireEvent,
  type TokenAcquireOutcome,
  type TokenAcquireReason,
  type TokenCacheEvent,
  TokenExpiredError,
} from '@grantkit/core';
export {
  createSmartConnectClient,
  type SmartConnectClient,
  type SmartConnectClientOptions,
  type SmartConnectClientSettings,
} from './client.js';
export type { SmartConnectCredentials } from './credentials.js';
export {
  type FlatPasswordCredentials,
  type PasswordTokenCredentials,
  type PasswordTokenOptions,
  requestPasswordToken,
  type TokenTransportOptions,
} from './password-grant.js';
export { SMARTCONNECT_REGIONS, type SmartConnectRegion, type SmartConnectTarget, tokenEndpoint } from './regions.js';
export type { TokenRetryOptions } from './token-cache.js';
