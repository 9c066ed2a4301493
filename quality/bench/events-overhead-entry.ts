// What bench/events-overhead.ts bundles twice (with and without events): the clients, the event API and the
// OpenTelemetry instrumentation, from one copy of core so that they share its listeners.
export { AccessToken, subscribe } from '@grantkit/core';
export { createBearerClient } from '@grantkit/core/bearer';
export { isObserved, traceHttp } from '@grantkit/core/internal';
export { instrumentGrantKit } from '@grantkit/opentelemetry';
export { createSmartConnectClient } from '@grantkit/smartconnect';
export {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
