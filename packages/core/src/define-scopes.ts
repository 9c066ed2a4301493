import * as messages from '#messages';
import { ConfigurationError } from './errors/configuration-error.js';
import { ScopeSet } from './scope-set.js';
import { splitScope } from './scope-syntax.js';
import { isScopeToken } from './scope-token.js';

/** A provider's scope vocabulary, made by {@link defineScopes}. */
export interface ScopeVocabulary<S extends string> {
  /** Every known scope, in definition order. */
  readonly scopes: readonly S[];
  /** Whether `value` is one of the known scopes. */
  is(value: unknown): value is S;
  /**
   * Parses a space-separated string or a list of scopes into a `ScopeSet`.
   * @throws {ConfigurationError} on bad syntax or an unknown scope, listing the known ones.
   */
  parse(input: string | Iterable<string>): ScopeSet<S>;
  /** The space-separated form, e.g. for the `scope` parameter. */
  format(scopes: Iterable<S>): string;
}

/**
 * Defines a provider's scopes once, with their literal types.
 *
 * @example
 * ```ts
 * const scopes = defineScopes(['public', 'private', 'orders'] as const);
 * const requested = scopes.parse('public orders'); // ScopeSet<'public' | 'private' | 'orders'>
 * scopes.parse('admin'); // throws ConfigurationError: unknown scope "admin"; known scopes: public, private, orders
 * ```
 */
export function defineScopes<const S extends string>(scopes: readonly S[]): ScopeVocabulary<S> {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new ConfigurationError(messages.scopeDefinitionInvalid(scope));
    }
  }
  const known: ReadonlySet<string> = new Set(scopes);
  const is = (value: unknown): value is S => typeof value === 'string' && known.has(value);

  return Object.freeze({
    scopes: Object.freeze([...scopes]),
    is,
    parse(input: string | Iterable<string>): ScopeSet<S> {
      let tokens: Iterable<string>;
      if (typeof input === 'string') {
        const split = splitScope(input);
        if (!split.ok) {
          throw new ConfigurationError(messages.scopeListInvalid(split.position + 1, scopes));
        }
        tokens = split.scopes;
      } else {
        tokens = input;
      }
      const parsed: S[] = [];
      for (const token of tokens) {
        if (!is(token)) {
          throw new ConfigurationError(messages.scopeUnknown(token, scopes));
        }
        parsed.push(token);
      }
      return ScopeSet.of(parsed);
    },
    format(set: Iterable<S>): string {
      return ScopeSet.of(set).toString();
    },
  });
}
