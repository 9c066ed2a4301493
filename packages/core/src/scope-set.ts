import { ConfigurationError } from './errors/configuration-error.js';
import { isScopeToken } from './scope-token.js';

/**
 * An immutable, ordered set of OAuth scopes. Order is first-seen; duplicates
 * collapse. `toString()` gives the space-separated form of RFC 6749 §3.3.
 *
 * @example
 * ```ts
 * const granted = ScopeSet.of(['public', 'orders']);
 * granted.has('orders'); // true
 * granted.difference(['orders']).toString(); // 'public'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export class ScopeSet<S extends string = string> implements Iterable<S> {
  readonly #scopes: ReadonlySet<S>;

  private constructor(scopes: Iterable<S>) {
    const set = new Set(scopes);
    let position = 0;
    for (const scope of set) {
      position += 1;
      if (typeof scope !== 'string' || !isScopeToken(scope)) {
        throw new ConfigurationError(
          `Scope number ${position} is not an RFC 6749 §3.3 scope token; use non-empty visible ASCII without spaces, '"' or '\\'.`,
        );
      }
    }
    this.#scopes = set;
    Object.freeze(this);
  }

  /**
   * A set of the given scopes, in first-seen order.
   * @throws {ConfigurationError} when one is not a scope token.
   */
  static of<S extends string>(scopes: Iterable<S>): ScopeSet<S> {
    return new ScopeSet(scopes);
  }

  /** The empty set. */
  static empty<S extends string = string>(): ScopeSet<S> {
    return new ScopeSet<S>([]);
  }

  get size(): number {
    return this.#scopes.size;
  }

  has(scope: string): scope is S {
    return this.#scopes.has(scope as S);
  }

  union<T extends string>(other: Iterable<T>): ScopeSet<S | T> {
    return new ScopeSet<S | T>([...this.#scopes, ...other]);
  }

  difference(other: Iterable<string>): ScopeSet<S> {
    const remove = new Set<string>(other);
    return new ScopeSet([...this.#scopes].filter((scope) => !remove.has(scope)));
  }

  isSubsetOf(other: Iterable<string>): boolean {
    const superset = new Set<string>(other);
    return [...this.#scopes].every((scope) => superset.has(scope));
  }

  equals(other: Iterable<string>): boolean {
    const that = new Set<string>(other);
    return that.size === this.#scopes.size && this.isSubsetOf(that);
  }

  [Symbol.iterator](): IterableIterator<S> {
    return this.#scopes.values();
  }

  /** The scopes, space-separated in order, as the `scope` parameter wants them. */
  toString(): string {
    return [...this.#scopes].join(' ');
  }

  toJSON(): string {
    return this.toString();
  }
}
