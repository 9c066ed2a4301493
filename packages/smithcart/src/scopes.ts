import { defineScopes, type ScopeVocabulary } from '@grantkit/core';
import { SCOPE_NAMES, type SmithCartScope } from './scope-list.js';

export type { SmithCartScope } from './scope-list.js';

/**
 * SmithCart's scopes, as its document lists them. `public` is always granted;
 * the user may untick every other one on the consent page.
 *
 * | scope | grants |
 * | --- | --- |
 * | `public` | public resources |
 * | `private` | resources the authenticated user owns (`/users/me/…`) |
 * | `create` / `edit` / `delete` | POST / PUT and PATCH / DELETE |
 * | `users` | users and user profiles (including other users') |
 * | `orders` | customers, payments, orders, line items and order attributes (including other users') |
 *
 * @example
 * ```ts
 * SMITHCART_SCOPES.parse('private orders'); // ScopeSet<SmithCartScope>
 * SMITHCART_SCOPES.parse('admin'); // throws ConfigurationError listing the known scopes
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export const SMITHCART_SCOPES: ScopeVocabulary<SmithCartScope> = /* @__PURE__ */ defineScopes(SCOPE_NAMES);
