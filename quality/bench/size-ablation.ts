// What each behaviour costs in the two browser bundles held to a budget they do not meet (issue #22): the
// bundle is built with the `production` condition, then again with one behaviour taken out of the built
// `dist` (a module replaced by a stub, or its messages blanked), then with all of them out, in the same run.
// Each row names the line of ../shared/design.md (or the grantkit rule) that requires what was taken out. Last,
// the sign-in of an app that passes its own state store, less the default stores it still carries.
// The stubs only measure: nothing here is shipped, and a stub that no longer matches the code (or edits a module
// that is not in the bundle) fails the run.
//   pnpm turbo run build --filter @grantkit/quality^... && pnpm exec tsx bench/size-ablation.ts
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { BUNDLES, type BundleSpec, measureBundle } from './bundles.js';
import { report } from './measure.js';
import { KY_VALIBOT_FLOOR, PEER_BUNDLES } from './peer-bundles.js';

/** A module of a built package (`core/dist/redact.js`) and what replaces its source; it must be in the bundle. */
type Edit = readonly [module: string, replace: (source: string) => string];

/** One behaviour taken out: the modules it edits and the contract line that keeps it in. */
interface Ablation {
  behaviour: string;
  requiredBy: string;
  edits: readonly Edit[];
}

/** A module whose whole source is `stub`. */
const stubbed = (module: string, stub: string): Edit => [module, () => stub];

/** A module with every match of `pattern` replaced; a pattern that no longer matches fails the run. */
const blanked = (module: string, pattern: RegExp, by: string): Edit => [
  module,
  (source) => {
    if (!pattern.test(source)) throw new Error(`size-ablation: ${pattern} no longer matches ${module}`);
    return source.replace(pattern, by);
  },
];

const EVENTS: readonly Edit[] = [
  stubbed(
    'core/dist/events/publish.js',
    "export const isObserved = () => false, publish = () => {}, errorCodeOf = () => '', traceTokenAcquire = (reason, run) => run(), traceHttp = () => undefined;",
  ),
  stubbed(
    'core/dist/events/subscribe.js',
    'export const hasListeners = () => false, deliver = () => {}, subscribe = () => () => {};',
  ),
];
const JWT_FALLBACK = stubbed('core/dist/jwt-expiry.js', 'export const jwtExpiry = () => undefined;');

const SMARTCONNECT: readonly Ablation[] = [
  {
    behaviour: 'error bodies: secret-named fields redacted, sent secrets scrubbed in every encoding',
    requiredBy: 'Bearer transport: every secret sent is scrubbed from anything an error carries, in linear time',
    edits: [
      blanked(
        'core/dist/redact.js',
        /export function redactBody\(text, secrets = \[\]\) \{[\s\S]*$/,
        'export function redactBody(text) { return text; }',
      ),
    ],
  },
  {
    behaviour: 'events (grantkit:token, grantkit:http, grantkit:token:cache)',
    requiredBy: "Layers: @grantkit/opentelemetry's spans and metrics come from core's events",
    edits: EVENTS,
  },
  {
    behaviour: 'body caps (1 MiB token and error bodies, maxBodyBytes)',
    requiredBy: 'Bearer transport: token responses and error bodies are capped, API bodies by a configurable cap',
    edits: [stubbed('core/dist/transport/buffered-body.js', 'export const bufferedBody = (response) => response;')],
  },
  {
    behaviour: 'Retry-After longer than the timeout not waited for',
    requiredBy: "core's README (createBearerClient), not design.md: a 3600 s Retry-After is not waited for",
    edits: [stubbed('core/dist/transport/retry-after.js', 'export const requestedDelayMs = () => undefined;')],
  },
  {
    behaviour: 'JWT exp fallback',
    requiredBy: 'Tokens: without expires_in, the expiry comes from a JWT exp claim',
    edits: [JWT_FALLBACK],
  },
  {
    behaviour: 'hashed token-store key',
    requiredBy: "smartconnect's README (tokenStore), not design.md: no credential in clear in a store key",
    edits: [stubbed('smartconnect/dist/store-key.js', "export const deriveStoreKey = async () => 'smartconnect';")],
  },
];

const SIGN_IN: readonly Ablation[] = [
  {
    behaviour: 'events (grantkit:callback)',
    requiredBy: "Layers: @grantkit/opentelemetry's spans and metrics come from core's events",
    edits: EVENTS,
  },
  {
    behaviour: 'JWT exp fallback',
    requiredBy: 'handleCallback validates the token through parseTokenResponse (Tokens: the JWT exp fallback)',
    edits: [JWT_FALLBACK],
  },
  {
    behaviour: 'AccessToken beyond its value, expiresAt and scope',
    requiredBy:
      'Tokens: isExpired, authorizationHeader, expose, the redacted String/JSON/inspect, toStorage/fromStorage',
    edits: [
      stubbed(
        'core/dist/access-token.js',
        "import { ScopeSet } from './scope-set.js'; export const TOKEN_VALUE = /^[\\x21-\\x7E]+$/; export class AccessToken { #value; constructor(init) { this.#value = init.value; this.expiresAt = init.expiresAt; this.scope = ScopeSet.of(init.scope ?? []); } }",
      ),
    ],
  },
  {
    behaviour: 'ScopeSet beyond of, size, difference and toString',
    requiredBy: 'Scopes: immutable, has, union, difference, isSubsetOf, toString, iteration; scope-token syntax',
    edits: [
      stubbed(
        'core/dist/scope-set.js',
        "export class ScopeSet { #scopes; constructor(scopes) { this.#scopes = new Set(scopes); } static of(scopes) { return new ScopeSet(typeof scopes === 'string' ? scopes.split(' ').filter(Boolean) : scopes); } get size() { return this.#scopes.size; } difference(other) { const remove = new Set(other); return new ScopeSet([...this.#scopes].filter((scope) => !remove.has(scope))); } toString() { return [...this.#scopes].join(' '); } }",
      ),
    ],
  },
  {
    behaviour: "the issues' messages (paths kept)",
    requiredBy: 'Errors: InvalidResponseError.issues holds paths and messages; fields are the same in every build',
    edits: [
      blanked('smithcart/dist/fragment-token.js', /, ('[^']*'|`[^`]*`)\)/g, ", '')"),
      blanked('smithcart/dist/callback.js', /refused\(('[^']*'|`[^`]*`)\)/g, "refused('')"),
    ],
  },
  {
    behaviour: "sessionStorage store's sweep, entry check and typed error",
    requiredBy: 'createAuthorizationRequest: entries expire and are single-use; bad input is a typed error',
    edits: [
      stubbed(
        'smithcart/dist/session-storage-state-store.js',
        "export class SessionStorageStateStore { #storage; constructor(storage) { this.#storage = storage; } save(entry) { this.#storage.setItem('grantkit.smithcart.state.' + entry.state, JSON.stringify(entry)); } take(state) { const key = 'grantkit.smithcart.state.' + state; const text = this.#storage.getItem(key); this.#storage.removeItem(key); return text ? JSON.parse(text) : undefined; } }",
      ),
    ],
  },
];

function editing(edits: readonly Edit[]): Plugin {
  return {
    name: 'size-ablation',
    setup(build) {
      const loaded = new Set<string>();
      build.onLoad({ filter: /\/packages\/[^/]+\/dist\/.+\.js$/ }, async (args) => {
        const found = edits.filter(([module]) => args.path.endsWith(`/packages/${module}`));
        if (found.length === 0) return undefined;
        let source = await readFile(args.path, 'utf8');
        for (const [module, replace] of found) {
          source = replace(source);
          loaded.add(module);
        }
        return { contents: source, loader: 'js' };
      });
      // A module renamed or no longer in the bundle would make its stub measure nothing.
      build.onEnd(() => {
        const missing = edits.map(([module]) => module).filter((module) => !loaded.has(module));
        if (missing.length > 0) throw new Error(`size-ablation: not in the bundle: ${missing.join(', ')}`);
      });
    },
  };
}

const bundle = (name: string) => {
  const spec = [...BUNDLES, ...PEER_BUNDLES].find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`size-ablation: no bundle named ${name}`);
  return spec;
};

/** The bundle's production build, then without each behaviour, then without all, against `limit`. */
async function ablate(name: string, ablations: readonly Ablation[], limit: number, limitText: string) {
  const spec = bundle(name);
  const measure = (edits: readonly Edit[]) =>
    measureBundle(spec, ['production'], [editing(edits)]).then((size) => size.gzip);
  const [full, development, each, none] = await Promise.all([
    measure([]),
    measureBundle(spec).then((size) => size.gzip),
    Promise.all(ablations.map((ablation) => measure(ablation.edits))),
    measure(ablations.flatMap((ablation) => ablation.edits)),
  ]);
  const figure = (bytes: number) => bytes.toLocaleString('en');
  const standing = none <= limit ? 'within the budget' : `${figure(none - limit)} B over the budget`;
  report(
    `Size ablation of ${name} (production condition: ${figure(full)} B gzip; the budget is ${limitText} = ${figure(limit)} B)`,
    [
      {
        'taken out': 'the full messages (the default build less the production one)',
        'required by': 'Errors: the full message stays in every build that sets no condition',
        'gzip B saved': development - full,
      },
      ...ablations.map((ablation, index) => ({
        'taken out': ablation.behaviour,
        'required by': ablation.requiredBy,
        'gzip B saved': full - (each[index] as number),
      })),
      {
        'taken out': `all ${ablations.length} above (then ${figure(none)} B, ${standing})`,
        'required by': '—',
        'gzip B saved': full - none,
      },
    ],
  );
}

const floor = await measureBundle(bundle(KY_VALIBOT_FLOOR));
await ablate(
  'smartconnect',
  SMARTCONNECT,
  floor.gzip + 6_000,
  `${KY_VALIBOT_FLOOR} (${floor.gzip.toLocaleString('en')} B) + 6,000 B`,
);
await ablate('smithcart authorize+callback', SIGN_IN, 2_600, 'issue #22');

// Issue #22 asks that an app passing its own state store not ship the default ones. `stateStore` is optional in
// the design's `createAuthorizationRequest` and `handleCallback`, so both call `defaultStateStore()` when it is
// absent, and no bundler can prove at build time that a store is always passed.
const ownStore: BundleSpec = {
  name: 'smithcart sign-in with its own state store',
  contents: `
import { createAuthorizationRequest, handleCallback } from '@grantkit/smithcart';
const entries = new Map();
const stateStore = { save: (entry) => void entries.set(entry.state, entry), take: (state) => { const entry = entries.get(state); entries.delete(state); return entry; } };
export const connect = () => createAuthorizationRequest({ baseUrl: 'https://api.example.com', clientId: 'Y2XPZW50Q31A', redirectUri: 'https://app.example/cb', scope: 'public', stateStore });
export const callback = () => handleCallback(location.href, { stateStore });`,
};
const withDefaults = await measureBundle(ownStore, ['production']);
const withoutDefaults = await measureBundle(
  ownStore,
  ['production'],
  [
    editing([
      stubbed('smithcart/dist/default-state-store.browser.js', 'export const defaultStateStore = () => undefined;'),
    ]),
  ],
);
report(
  `Size ablation of the sign-in with the app's own state store (production condition: ${withDefaults.gzip.toLocaleString('en')} B gzip)`,
  [
    {
      'taken out': 'the default stores (sessionStorage, and a map where storage is blocked)',
      'required by': 'createAuthorizationRequest({ …, stateStore? }): the default store is sessionStorage in a browser',
      'gzip B saved': withDefaults.gzip - withoutDefaults.gzip,
    },
  ],
);
