export {
  createSmartConnectClient,
  type SmartConnectClient,
  type SmartConnectClientOptions,
  type SmartConnectClientSettings,
} from './client.js';
export type { SmartConnectCredentials } from './credentials.js';
export { type PasswordTokenOptions, requestPasswordToken, type TokenTransportOptions } from './password-grant.js';
export { SMARTCONNECT_REGIONS, type SmartConnectRegion, type SmartConnectTarget, tokenEndpoint } from './regions.js';
export type { TokenRetryOptions } from './token-cache.js';
