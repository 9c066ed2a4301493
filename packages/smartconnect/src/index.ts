// The errors this package can throw, so users import one package.
export {
  ConfigurationError,
  GrantKitError,
  type GrantKitErrorByCode,
  type GrantKitErrorCode,
  HttpError,
  InsufficientScopeError,
  InvalidResponseError,
  isGrantKitError,
  NetworkError,
  OAuthError,
  type ResponseIssue,
  StateMismatchError,
  TimeoutError,
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
