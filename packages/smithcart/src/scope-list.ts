import { ConfigurationError, ScopeSet } from '@grantkit/core';
import * as messages from '#messages';

/** A scope SmithCart knows. */
export type SmithCartScope = 'public' | 'private' | 'create' | 'edit' | 'delete' | 'users' | 'orders';

/** SmithCart's scopes, in the document's order. */
export const SCOPE_NAMES: readonly SmithCartScope[] = [
  'public',
  'private',
  'create',
  'edit',
  'delete',
  'users',
  'orders',
];

/**
 * Requested scopes (a space-separated string or a list) as a `ScopeSet`, each a known SmithCart scope.
 * The sign-in path's own check, so that browser bundles do not carry `defineScopes`.
 * @throws {ConfigurationError} naming the known scopes.
 */
export function parseScope(input: string | Iterable<string>): ScopeSet<SmithCartScope> {
  const scopes = typeof input === 'string' ? input.split(' ').filter(Boolean) : [...input];
  for (const scope of scopes) {
    if (!(SCOPE_NAMES as readonly string[]).includes(scope)) {
      throw new ConfigurationError(messages.scopeUnknown(scope, SCOPE_NAMES));
    }
  }
  return ScopeSet.of(scopes as SmithCartScope[]);
}
