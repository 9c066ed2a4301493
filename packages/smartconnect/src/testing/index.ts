// The server for the mock, so that tests import this package only.
export { type FetchHandler, type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
export {
  type MockSmartConnectClient,
  type MockSmartConnectUser,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from './demo-accounts.js';
export {
  createMockSmartConnect,
  type MockSmartConnect,
  type MockSmartConnectOptions,
  type MockSmartConnectStats,
  type MockTokenFailure,
} from './mock-smartconnect.js';
