// Property definitions shared by `pnpm fuzz` (100,000 runs each) and `pnpm test` (1,000 runs each).
import { AccessToken, defineScopes, isGrantKitError, parseTokenResponse, ScopeSet } from '@grantkit/core';
import { requestPasswordToken } from '@grantkit/smartconnect';
import {
  createAuthorizationRequest,
  handleCallback,
  MemoryStateStore,
  parseLinkHeader,
  SMITHCART_SCOPES,
  type SmithCartScope,
} from '@grantkit/smithcart';
import fc from 'fast-check';

/** One named property; `check(runs)` asserts it over `runs` generated inputs. */
export interface FuzzProperty {
  name: string;
  check(runs: number, seed?: number): Promise<void>;
}

/** Longest a single run may take before it counts as a hang. */
export const RUN_TIMEOUT_MS = 2_000;

const KNOWN_SCOPES = ['public', 'private', 'create', 'edit', 'delete', 'users', 'orders'] as const;

/** Text from every corner: ASCII, full Unicode, lone surrogates, and the characters parsers trip on. */
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom('<', '>', ';', ',', '"', '\\', '=', ' ', '\t', '#', '&', '%', '+', 'a', '1'),
    maxLength: 60,
  }),
);

/** Throws unless `error` is one of grantkit's typed errors. */
function assertTyped(error: unknown): void {
  if (!isGrantKitError(error)) {
    throw new Error(
      `An untyped error escaped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
}

/** Runs `run` and accepts its result or a grantkit error; anything else fails the property. */
async function resultOrTyped<T>(run: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    assertTyped(error);
    return undefined;
  }
}

/**
 * A synchronous predicate that also fails when one run takes longer than
 * {@link RUN_TIMEOUT_MS}: fast-check's `timeout` cannot interrupt synchronous
 * code, but a parser gone quadratic or a backtracking regex shows up here.
 */
function withinBudget<A extends unknown[]>(predicate: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    const started = performance.now();
    predicate(...args);
    const elapsed = performance.now() - started;
    if (elapsed > RUN_TIMEOUT_MS) throw new Error(`One run took ${Math.round(elapsed)} ms (a hang, for this input)`);
  };
}

function assertThat(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

// ---------- callback fragments ----------

const tokenValue = fc.oneof(fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}=*$/), anyText);
const callbackField = {
  access_token: tokenValue,
  token_type: fc.oneof(fc.constantFrom('bearer', 'Bearer', 'BEARER', 'mac', ''), anyText),
  expires_in: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }).map(String), anyText),
  scope: fc.oneof(
    fc.subarray([...KNOWN_SCOPES]).map((scopes) => scopes.join(' ')),
    anyText,
  ),
  state: fc.oneof(fc.constant('expected-state'), anyText),
  error: fc.oneof(fc.constantFrom('access_denied', 'invalid_scope', 'server_error'), anyText),
  error_description: anyText,
};

const callbackFragment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(callbackField, { requiredKeys: [] }).map((fields) => `#${new URLSearchParams(fields)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.record(callbackField, { requiredKeys: [] }), fc.constantFrom(...Object.keys(callbackField)), anyText)
      .map(([fields, duplicate, value]) => `#${new URLSearchParams(fields)}&${duplicate}=${encodeURIComponent(value)}`),
  },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: anyText.map((text) => `https://app.example/callback?${text}#${text}`) },
);

/** Whether a callback with these fields must succeed, by the rules of RFC 6749 §4.2.2 and §5.1. */
function mustSucceed(fields: URLSearchParams): boolean {
  const one = (name: string) => (fields.getAll(name).length > 1 ? undefined : (fields.get(name) ?? undefined));
  if ([...new Set(fields.keys())].some((name) => fields.getAll(name).length > 1)) return false;
  const expires = one('expires_in');
  const scope = one('scope');
  return (
    one('state') === 'expected-state' &&
    // RFC 6749 §3.1: an empty parameter counts as omitted.
    (one('error') ?? '') === '' &&
    /^[\x21-\x7E]+$/.test(one('access_token') ?? '') &&
    (one('token_type') ?? '').toLowerCase() === 'bearer' &&
    (expires === undefined || expires === '' || (/^\d{1,15}$/.test(expires) && Number(expires) > 0)) &&
    (scope === undefined ||
      scope === '' ||
      scope.split(' ').every((item) => (KNOWN_SCOPES as readonly string[]).includes(item)))
  );
}

const callbackProperty: FuzzProperty = {
  name: 'handleCallback: a fragment gives a token or a typed error, and a valid one always a token',
  check: async (runs, seed) => {
    await fc.assert(
      fc.asyncProperty(callbackFragment, async (fragment) => {
        const result = await resultOrTyped(() =>
          handleCallback(fragment, { expectedState: 'expected-state', scope: ['public'] }),
        );
        if (fragment.startsWith('#')) {
          const fields = new URLSearchParams(fragment.slice(1));
          if (mustSucceed(fields)) assertThat(result !== undefined, `A valid callback was refused: ${fragment}`);
          if (result) assertThat(result.token.expose() === fields.get('access_token'), 'The token is not the one sent');
        }
      }),
      { numRuns: runs, timeout: RUN_TIMEOUT_MS, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

const validCallback = fc.record(
  {
    access_token: fc.stringMatching(/^[\x21-\x7E]{1,60}$/),
    token_type: fc.constantFrom('bearer', 'Bearer', 'BEARER'),
    expires_in: fc.integer({ min: 1, max: 1_000_000_000 }).map(String),
    scope: fc.subarray([...KNOWN_SCOPES], { minLength: 1 }).map((scopes) => scopes.join(' ')),
    state: fc.constant('expected-state'),
  },
  { requiredKeys: ['access_token', 'token_type', 'state'] },
);

const validCallbackProperty: FuzzProperty = {
  name: 'handleCallback: a well-formed callback always gives its token, scope and expiry',
  check: async (runs, seed) => {
    await fc.assert(
      fc.asyncProperty(validCallback, async (fields) => {
        const now = 1_700_000_000_000;
        const { token, granted } = await handleCallback(`#${new URLSearchParams(fields)}`, {
          expectedState: 'expected-state',
          scope: ['public', 'orders'],
          now: () => now,
        });
        assertThat(token.expose() === fields.access_token, 'The token is not the one sent');
        assertThat(granted.toString() === (fields.scope ?? 'public orders'), `Wrong scope ${granted}`);
        const expiresAt = fields.expires_in === undefined ? undefined : now + Number(fields.expires_in) * 1000;
        assertThat(fields.expires_in === undefined || token.expiresAt === expiresAt, 'Wrong expiry');
      }),
      { numRuns: runs, timeout: RUN_TIMEOUT_MS, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

const storedStateProperty: FuzzProperty = {
  name: 'handleCallback with a state store: a state works at most once, whatever else the fragment carries',
  check: async (runs, seed) => {
    await fc.assert(
      fc.asyncProperty(fc.record(callbackField, { requiredKeys: [] }), async (fields) => {
        const stateStore = new MemoryStateStore();
        const { state } = await createAuthorizationRequest({
          baseUrl: 'https://smithcart.example',
          clientId: 'fuzz-client',
          redirectUri: 'https://app.example/callback',
          scope: ['public', 'orders'],
          stateStore,
        });
        const fragment = `#${new URLSearchParams({ ...fields, state })}`;
        await resultOrTyped(() => handleCallback(fragment, { stateStore }));
        const replay = await resultOrTyped(() => handleCallback(fragment, { stateStore }));
        assertThat(replay === undefined, 'A state was accepted twice');
      }),
      { numRuns: runs, timeout: RUN_TIMEOUT_MS, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

// ---------- Link headers ----------

const linkTarget = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc.integer({ min: 1, max: 999 }).map((page) => `?page=${page}`),
  fc.constantFrom('/users/me/orders.json?page=2', 'orders.json', ''),
);
const relTypes = fc.array(fc.constantFrom('next', 'prev', 'first', 'last', 'NEXT', 'alternate'), {
  minLength: 1,
  maxLength: 3,
});
const wellFormedLinks = fc.array(
  fc.record({
    target: linkTarget,
    rel: relTypes,
    quoted: fc.boolean(),
    title: fc.option(fc.stringMatching(/^[a-z ]{0,10}$/)),
  }),
  { maxLength: 5 },
);

interface LinkSpec {
  target: string;
  rel: string[];
  quoted: boolean;
  title: string | null;
}

function formatLinks(links: readonly LinkSpec[]): string {
  return links
    .map(({ target, rel, quoted, title }) => {
      const relValue = quoted || rel.length > 1 ? `"${rel.join(' ')}"` : rel.join(' ');
      return `<${target}>; rel=${relValue}${title === null ? '' : `; title="${title}"`}`;
    })
    .join(', ');
}

const BASE = 'https://smithcart.example/users/me/orders.json?page=1';

const linkHeaderProperty: FuzzProperty = {
  name: 'parseLinkHeader: any header gives a list of absolute links and never throws',
  check: async (runs, seed) => {
    await fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          wellFormedLinks.map(formatLinks),
          fc.tuple(wellFormedLinks.map(formatLinks), fc.nat(), anyText).map(([text, at, junk]) => {
            const cut = text.length === 0 ? 0 : at % text.length;
            return `${text.slice(0, cut)}${junk}${text.slice(cut)}`;
          }),
        ),
        withinBudget((header: string) => {
          const links = parseLinkHeader(header, BASE);
          assertThat(Array.isArray(links), 'Not a list');
          for (const link of links) {
            assertThat(new URL(link.href).href === link.href, `Not an absolute URL: ${link.href}`);
            assertThat(
              link.rel.every((rel) => rel === rel.toLowerCase() && rel !== ''),
              'A relation is not lower-case',
            );
          }
        }),
      ),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

const linkRoundTripProperty: FuzzProperty = {
  name: 'parseLinkHeader: a well-formed header gives back exactly its links and relations',
  check: async (runs, seed) => {
    await fc.assert(
      fc.property(
        wellFormedLinks,
        withinBudget((links: LinkSpec[]) => {
          const parsed = parseLinkHeader(formatLinks(links), BASE);
          assertThat(parsed.length === links.length, `Expected ${links.length} links, got ${parsed.length}`);
          parsed.forEach((link, index) => {
            const source = links[index];
            if (!source) return;
            assertThat(link.href === new URL(source.target, BASE).href, `Wrong target ${link.href}`);
            assertThat(link.rel.join(' ') === source.rel.join(' ').toLowerCase(), `Wrong rel ${link.rel.join(' ')}`);
          });
        }),
      ),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

// ---------- scope strings ----------

const scopeText = fc.oneof(
  anyText,
  fc.array(fc.oneof(fc.constantFrom(...KNOWN_SCOPES), anyText), { maxLength: 6 }).map((items) => items.join(' ')),
);

const scopeProperty: FuzzProperty = {
  name: 'scopes: any scope string parses to a ScopeSet or a ConfigurationError, and formatting round-trips',
  check: async (runs, seed) => {
    await fc.assert(
      fc.property(
        scopeText,
        fc.array(anyText, { maxLength: 4 }),
        withinBudget((text: string, list: string[]) => {
          const parsed = parseScopes(text);
          if (parsed) {
            assertThat(
              SMITHCART_SCOPES.parse(SMITHCART_SCOPES.format(parsed)).equals(parsed),
              'Round trip changed the set',
            );
            assertThat(
              [...parsed].every((scope) => SMITHCART_SCOPES.is(scope)),
              'An unknown scope was accepted',
            );
          }
          const custom = syncResultOrTyped(() => defineScopes(list));
          if (custom) syncResultOrTyped(() => custom.parse(text));
          syncResultOrTyped(() => ScopeSet.of(list));
        }),
      ),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

function parseScopes(text: string): ScopeSet<SmithCartScope> | undefined {
  return syncResultOrTyped(() => SMITHCART_SCOPES.parse(text));
}

function syncResultOrTyped<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    assertTyped(error);
    return undefined;
  }
}

// ---------- token-response bodies ----------

const tokenBody = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      access_token: fc.oneof(tokenValue, fc.jsonValue()),
      token_type: fc.oneof(fc.constantFrom('bearer', 'Bearer', 'mac'), fc.jsonValue()),
      expires_in: fc.oneof(
        fc.integer({ min: -10, max: 1e9 }),
        fc.double(),
        fc.stringMatching(/^\d{0,17}$/),
        fc.jsonValue(),
      ),
      scope: fc.oneof(scopeText, fc.jsonValue()),
      refresh_token: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
);

const tokenResponseProperty: FuzzProperty = {
  name: 'parseTokenResponse: any JSON body gives an AccessToken or an InvalidResponseError',
  check: async (runs, seed) => {
    await fc.assert(
      fc.property(
        tokenBody,
        withinBudget((body: unknown) => {
          const now = 1_700_000_000_000;
          const token = syncResultOrTyped(() =>
            parseTokenResponse(body, { now: () => now, requestedScope: ['public'] }),
          );
          if (!token) return;
          const fields = body as Record<string, unknown>;
          assertThat(token instanceof AccessToken && token.expose() === fields.access_token, 'Wrong token value');
          if (fields.expires_in !== undefined) {
            assertThat(token.expiresAt === now + Number(fields.expires_in) * 1000, 'Wrong expiry');
          }
        }),
      ),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

const wireProperty: FuzzProperty = {
  name: 'requestPasswordToken: any status and body from the token endpoint gives a token or a typed error',
  check: async (runs, seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 201, 204, 302, 400, 401, 403, 429, 500, 503),
        fc.oneof(
          tokenBody.map((body) => JSON.stringify(body)),
          anyText,
        ),
        async (status, text) => {
          const body = status === 204 ? null : text;
          await resultOrTyped(() =>
            requestPasswordToken({
              baseUrl: 'https://smartconnect.example',
              username: 'fuzz@example.com',
              password: 'fuzz-password',
              clientId: 'fuzz-client',
              clientSecret: 'fuzz-secret',
              fetch: async () => new Response(body, { status }),
            }),
          );
        },
      ),
      { numRuns: runs, timeout: RUN_TIMEOUT_MS, ...(seed === undefined ? {} : { seed }) },
    );
  },
};

/** Every property, in the order `pnpm fuzz` runs them. */
export const fuzzProperties: readonly FuzzProperty[] = [
  callbackProperty,
  validCallbackProperty,
  storedStateProperty,
  linkHeaderProperty,
  linkRoundTripProperty,
  scopeProperty,
  tokenResponseProperty,
  wireProperty,
];
