// `@grantkit/core/bearer`: the ky client that sends a Bearer token.
export { type BearerClientOptions, createBearerClient } from './transport/bearer-client.js';
export type { TokenLike } from './transport/transport.js';
