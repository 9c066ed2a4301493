export {
  createSmithCartClient,
  type SmithCartClient,
  type SmithCartClientOptions,
  type SmithCartCreated,
  type SmithCartPage,
  type SmithCartPath,
  type SmithCartReadOptions,
  type SmithCartRequestOptions,
  type SmithCartTokenSource,
} from './client.js';
export { type LinkHeaderEntry, parseLinkHeader } from './link-header.js';
export { requiredScope } from './required-scope.js';
export { userPath } from './user-path.js';
