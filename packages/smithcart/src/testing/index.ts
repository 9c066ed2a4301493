// The server for the mock, so that tests import this package only.
export { type FetchHandler, type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
export {
  type MockSmithCartClient,
  type MockSmithCartData,
  type MockSmithCartOrder,
  type MockSmithCartRecord,
  type MockSmithCartUser,
  type MockSmithCartUserData,
  SMITHCART_DEMO_CLIENT,
  SMITHCART_DEMO_DATA,
  SMITHCART_DEMO_USER,
  SMITHCART_DEMO_USERS,
} from './demo-data.js';
export type { MockConsentAnswer } from './mock-authorize.js';
export {
  createMockSmithCart,
  type MockSmithCart,
  type MockSmithCartOptions,
  type MockTokenRequest,
} from './mock-smithcart.js';
export type { MockIssuedToken, MockSmithCartStats } from './mock-state.js';
export { isRegisteredRedirectUri } from './redirect-uri.js';
