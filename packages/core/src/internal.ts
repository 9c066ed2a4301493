// `@grantkit/core/internal`: what grantkit's flow packages share. Internal and unstable: it may change in any
// release, so do not import it from an application.
export { TOKEN_VALUE } from './access-token.js';
export {
  errorCodeOf,
  type HttpTrace,
  isObserved,
  publish,
  type TokenAcquisition,
  traceHttp,
  traceTokenAcquire,
} from './events/publish.js';
export { jwtExpiry } from './jwt-expiry.js';
export { isSensitiveName, redactBody, redactUrl } from './redact.js';
export { splitScope } from './scope-syntax.js';
export { isScopeToken } from './scope-token.js';
export { assertSecureUrl } from './secure-url.js';
export { singleFlight } from './single-flight.js';
export {
  bodyTooLarge,
  DEFAULT_ERROR_BODY_BYTES,
  type Exchange,
  httpError,
  networkError,
  parseJsonBody,
  readResponse,
  type StandardSchema,
  unexpectedAnswer,
  validateBody,
} from './transport/read-response.js';
export { requestedDelayMs } from './transport/retry-after.js';
export {
  createTransport,
  DEFAULT_MAX_BODY_BYTES,
  type TokenLike,
  type Transport,
  type TransportInit,
  type TransportOptions,
} from './transport/transport.js';
