/** An application registered with the mock SmithCart. */
export interface MockSmithCartClient {
  clientId: string;
  /** Shown on the consent page. */
  name: string;
  /**
   * Registered callback URIs, matched exactly; a loopback IP one
   * (`http://127.0.0.1/…`, `http://[::1]/…`) matches any port (RFC 8252 §7.3).
   */
  redirectUris: readonly string[];
}

/** A user of the mock SmithCart. */
export interface MockSmithCartUser {
  username: string;
  name: string;
  email: string;
}

/** A record of the mock's resource API; SmithCart numbers every resource with `id`. */
export type MockSmithCartRecord = { id: number } & Record<string, unknown>;

/** An order with its nested line items and order attributes. */
export type MockSmithCartOrder = MockSmithCartRecord & {
  line_items?: MockSmithCartRecord[];
  attributes?: MockSmithCartRecord[];
};

/** What one user owns in the mock's resource API. */
export interface MockSmithCartUserData {
  profile?: Record<string, unknown>;
  customers?: MockSmithCartRecord[];
  payments?: MockSmithCartRecord[];
  orders?: MockSmithCartOrder[];
}

/** The mock's resources by owner's username. */
export type MockSmithCartData = Record<string, MockSmithCartUserData>;

/**
 * The application every mock SmithCart knows unless `clients` is given. Its
 * registered callbacks: the document's example, the demo server's, and the
 * CLI's loopback one (any port).
 *
 * @example
 * ```ts
 * const { url } = await createAuthorizationRequest({
 *   baseUrl: mock.url,
 *   clientId: SMITHCART_DEMO_CLIENT.clientId,
 *   redirectUri: 'http://127.0.0.1:53682/callback',
 *   scope: 'private orders',
 * });
 * ```
 */
export const SMITHCART_DEMO_CLIENT: Readonly<MockSmithCartClient> = Object.freeze({
  clientId: 'Y2XPZW50Q31A',
  name: 'grantkit demo',
  redirectUris: Object.freeze([
    'https://www.example.com/callback.html',
    'http://127.0.0.1:3000/smithcart/callback.html',
    'http://127.0.0.1/callback',
  ]),
});

/**
 * The user who approves on the consent page unless another is chosen, and
 * who owns {@link SMITHCART_DEMO_DATA}'s 30 orders.
 *
 * @example
 * ```ts
 * console.log(`Orders of ${SMITHCART_DEMO_USER.name}`);
 * ```
 */
export const SMITHCART_DEMO_USER: Readonly<MockSmithCartUser> = Object.freeze({
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
});

/**
 * Every user the mock knows unless `users` is given: the demo user and a
 * second one whose resources need the `users`/`orders` scopes.
 *
 * @example
 * ```ts
 * SMITHCART_DEMO_USERS.map((user) => user.username); // ['ada', 'grace']
 * ```
 */
export const SMITHCART_DEMO_USERS: readonly Readonly<MockSmithCartUser>[] = Object.freeze([
  SMITHCART_DEMO_USER,
  Object.freeze({ username: 'grace', name: 'Grace Hopper', email: 'grace@example.com' }),
]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const PRODUCTS = ['Difference engine', 'Punched cards', 'Brass gears', 'Loom pattern', 'Ledger', 'Slide rule'];

function demoOrders(count: number, customers: number): MockSmithCartOrder[] {
  return Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    const lines = (index % 3) + 1;
    const line_items = Array.from({ length: lines }, (_, line) => ({
      id: line + 1,
      product: PRODUCTS[(index + line) % PRODUCTS.length] as string,
      quantity: ((index + line) % 4) + 1,
      unit_price: 5 + ((index * 7 + line * 3) % 40),
    }));
    const total = line_items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
    return {
      id,
      number: `SC-${String(1000 + id)}`,
      customer_id: (index % customers) + 1,
      status: index % 5 === 0 ? 'open' : 'shipped',
      total,
      currency: 'GBP',
      created_at: new Date(Date.UTC(2026, 0, 1 + index * 3)).toISOString(),
      line_items,
      attributes: [{ id: 1, name: 'gift_wrap', value: index % 2 === 0 ? 'yes' : 'no' }],
    };
  });
}

/**
 * The resources every mock SmithCart starts with unless `data` is given: 30
 * orders (with line items and attributes), customers and payments for `ada`,
 * a few for `grace`. Frozen; each mock works on its own copy.
 *
 * @example
 * ```ts
 * SMITHCART_DEMO_DATA.ada?.orders?.length; // 30
 * ```
 */
export const SMITHCART_DEMO_DATA: Readonly<MockSmithCartData> = deepFreeze({
  ada: {
    profile: { bio: 'Writes programs for engines that do not exist yet.', location: 'London' },
    customers: [
      { id: 1, name: 'Charles Babbage', email: 'charles@example.com' },
      { id: 2, name: 'Mary Somerville', email: 'mary@example.com' },
      { id: 3, name: 'Augustus De Morgan', email: 'augustus@example.com' },
    ],
    payments: [
      { id: 1, order_id: 1, amount: 42, currency: 'GBP', method: 'card' },
      { id: 2, order_id: 2, amount: 17, currency: 'GBP', method: 'transfer' },
    ],
    orders: demoOrders(30, 3),
  },
  grace: {
    profile: { bio: 'Finds moths in relays.', location: 'Arlington' },
    customers: [{ id: 1, name: 'Howard Aiken', email: 'howard@example.com' }],
    payments: [],
    orders: demoOrders(3, 1),
  },
});
