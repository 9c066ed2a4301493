import * as messages from '#messages';
import { ConfigurationError } from './errors/configuration-error.js';
import { isScopeToken } from './scope-token.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

// A string is a `scope` value (RFC 6749 §3.3), never a list of letters; runs of spaces are tolerated.
function tokensOf<S extends string>(scopes: string | Iterable<S>): Iterable<S> {
  return typeof scopes === 'string' ? (scopes.split(' ').filter((token) => token !== '') as S[]) : scopes;
}

// What a comparison reads: a string is split and checked like ScopeSet.of, a list is taken as is.
function membersOf(other: string | Iterable<string>): ReadonlySet<string> {
  return new Set<string>(typeof other === 'string' ? ScopeSet.of(other) : other);
}

/**
 * An immutable, ordered set of OAuth scopes. Order is first-seen; duplicates
 * collapse. `toString()` gives the space-separated form of RFC 6749 §3.3.
 * Wherever it takes scopes, a string is read as a space-delimited `scope`
 * value (`'public orders'`), never as a list of letters; a list is taken item
 * by item.
 *
 * @example
 * ```ts
 * const granted = ScopeSet.of(['public', 'orders']);
 * granted.has('orders'); // true
 * granted.difference(['orders']).toString(); // 'public'
 * ScopeSet.of('public orders').equals(granted); // true
 * console.log(granted); // ScopeSet(public orders)
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
        throw new ConfigurationError(messages.scopeNotToken(position));
      }
    }
    this.#scopes = set;
    // util.inspect / console.log in Node: the class has no public fields to show.
    Object.defineProperty(this, inspectSymbol, { value: () => `ScopeSet(${this.toString()})` });
    Object.freeze(this);
  }

  /**
   * A set of the given scopes, in first-seen order: a list, or a
   * space-delimited `scope` string.
   * @throws {ConfigurationError} when one is not a scope token.
   */
  static of<S extends string>(scopes: string | Iterable<S>): ScopeSet<S> {
    return new ScopeSet(tokensOf(scopes));
  }

  /** The empty set. */
  static empty<S extends string = string>(): ScopeSet<S> {
    return new ScopeSet<S>([]);
  }

  get size(): number {
    return this.#scopes.size;
  }

  /** Whether `scope` is in the set. */
  has(scope: string): scope is S {
    return this.#scopes.has(scope as S);
  }

  /** A new set with the scopes of both, this set's order first. */
  union<T extends string>(other: string | Iterable<T>): ScopeSet<S | T> {
    return new ScopeSet<S | T>([...this.#scopes, ...tokensOf(other)]);
  }

  /** A new set with this set's scopes that `other` lacks (e.g. requested − granted = denied). */
  difference(other: string | Iterable<string>): ScopeSet<S> {
    const remove = membersOf(other);
    return new ScopeSet([...this.#scopes].filter((scope) => !remove.has(scope)));
  }

  /** Whether every scope of this set is in `other`. */
  isSubsetOf(other: string | Iterable<string>): boolean {
    const superset = membersOf(other);
    return [...this.#scopes].every((scope) => superset.has(scope));
  }

  /** Whether both hold the same scopes, in any order. */
  equals(other: string | Iterable<string>): boolean {
    const that = membersOf(other);
    return that.size === this.#scopes.size && this.isSubsetOf(that);
  }

  /** The scopes in order, for `for…of` and spreading. */
  [Symbol.iterator](): IterableIterator<S> {
    return this.#scopes.values();
  }

  /** The scopes, space-separated in order, as the `scope` parameter wants them. */
  toString(): string {
    return [...this.#scopes].join(' ');
  }

  /** `JSON.stringify` gives the space-separated scope value, as {@link ScopeSet.toString}. */
  toJSON(): string {
    return this.toString();
  }
}
