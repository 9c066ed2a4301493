// Size of the browser code an app ships for SmithCart's implicit grant: an entry that uses only
// createAuthorizationRequest, handleCallback and clearCallbackFragment from @grantkit/smithcart's
// published build, bundled by esbuild (minify, platform browser), then gzipped at level 9. The peers'
// comparable sign-in code is bundled the same way in the same run, for the table in BENCHMARKS.md. The bundle
// with the `production` condition (short error messages) is measured beside it.
// Exits 1 above either budget (absolute gzip limits in size-budget.json: `smithcart sign-in budget` for the
// default build, `smithcart sign-in production budget` for the production condition), or when ky ends up in
// the bundle.
//
//   pnpm turbo run build --filter @grantkit/smithcart && cd quality && pnpm exec tsx bench/smithcart-bundle-size.ts
//   options: --budget <gzip bytes>  --production-budget <gzip bytes>  --metafile (print the input files and their sizes)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type BundleSpec, measureBundle } from './bundles.js';

const { values } = parseArgs({
  options: {
    budget: { type: 'string' },
    'production-budget': { type: 'string' },
    metafile: { type: 'boolean', default: false },
  },
});
const recorded = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8')) as Record<
  string,
  number
>;
const budget = Number(values.budget ?? recorded['smithcart sign-in budget']);
const productionBudget = Number(values['production-budget'] ?? recorded['smithcart sign-in production budget']);

const entry = `
import { clearCallbackFragment, createAuthorizationRequest, handleCallback } from '@grantkit/smithcart';
export async function connect(redirectUri) {
  const { url } = await createAuthorizationRequest({ baseUrl: 'https://api.example.com', clientId: 'Y2XPZW50Q31A', redirectUri, scope: 'private orders' });
  location.assign(url);
}
export async function callback() {
  try {
    return await handleCallback(location.href);
  } finally {
    clearCallbackFragment();
  }
}
`;

const bundleSignIn = (conditions: string[]) =>
  build({
    stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
const result = await bundleSignIn([]);
// The same entry with the `production` condition (Vite's build and webpack's production mode set it): short
// error messages, the code and a link to docs/errors.md.
const production = (await bundleSignIn(['production'])).outputFiles[0]?.contents ?? new Uint8Array();
const productionGzip = gzipSync(production, { level: 9 }).length;

const code = result.outputFiles[0]?.contents ?? new Uint8Array();
const gzip = gzipSync(code, { level: 9 }).length;
const inputs = Object.entries(result.metafile.outputs)[0]?.[1].inputs ?? {};
const included = Object.keys(inputs);
const ky = included.filter((path) => /node_modules\/(\.pnpm\/)?ky[@/]/.test(path));

if (values.metafile) {
  for (const [path, { bytesInOutput }] of Object.entries(inputs).sort(
    (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
  )) {
    console.log(`${String(bytesInOutput).padStart(6)}  ${path}`);
  }
}
const byOwner = new Map<string, number>();
for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
  const owner =
    /packages\/([a-z-]+)\//.exec(path)?.[1] ?? /node_modules\/(?:\.pnpm\/)?(@?[a-z-]+)/.exec(path)?.[1] ?? 'entry';
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
}
console.log('smithcart implicit grant (createAuthorizationRequest + handleCallback + clearCallbackFragment)');
console.log(
  `  minified: ${code.length} bytes (${[...byOwner].map(([owner, bytes]) => `${owner} ${bytes}`).join(', ')})`,
);
console.log(`  gzip -9:  ${gzip} bytes (budget ${budget})`);
console.log(
  `  production condition: minified ${production.length} bytes, gzip -9 ${productionGzip} bytes (budget ${productionBudget})`,
);
console.log(`  modules:  ${included.length}, ky ${ky.length === 0 ? 'absent' : `PRESENT (${ky.join(', ')})`}`);
// The peers: the same job (build the authorization URL with a state, read and check the callback fragment).
const peers: BundleSpec[] = [
  {
    name: "client-oauth2's implicit helper (+ querystring-es3 polyfill)",
    contents: `
import ClientOAuth2 from 'client-oauth2';
const auth = (redirectUri) => new ClientOAuth2({ clientId: 'Y2XPZW50Q31A', authorizationUri: 'https://api.example.com/oauth2/authorize', redirectUri, scopes: ['private', 'orders'], state: crypto.randomUUID() });
export function connect(redirectUri) { location.assign(auth(redirectUri).token.getUri()); }
export function callback(redirectUri) { return auth(redirectUri).token.getToken(location.href); }
`,
    alias: { querystring: 'querystring-es3' },
  },
  {
    name: "oauth4webapi's URL + callback primitives",
    contents: `
import { generateRandomState, validateAuthResponse } from 'oauth4webapi';
const as = { issuer: 'https://api.example.com', authorization_endpoint: 'https://api.example.com/oauth2/authorize' };
const client = { client_id: 'Y2XPZW50Q31A' };
export function connect(redirectUri) {
  const state = generateRandomState();
  sessionStorage.setItem('state', state);
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({ response_type: 'token', client_id: client.client_id, redirect_uri: redirectUri, scope: 'private orders', state });
  location.assign(url);
}
export function callback() {
  const params = validateAuthResponse(as, client, new URLSearchParams(location.hash.slice(1)), sessionStorage.getItem('state'));
  history.replaceState(null, '', location.pathname + location.search);
  return params;
}
`,
  },
  {
    name: 'a bare URL + fragment + valibot schema',
    contents: `
import * as v from 'valibot';
const Callback = v.object({ access_token: v.string(), token_type: v.literal('bearer'), expires_in: v.optional(v.string()), scope: v.optional(v.string()), state: v.string() });
export function connect(redirectUri) {
  const state = crypto.randomUUID();
  sessionStorage.setItem('state', state);
  const url = new URL('https://api.example.com/oauth2/authorize');
  url.search = new URLSearchParams({ response_type: 'token', client_id: 'Y2XPZW50Q31A', redirect_uri: redirectUri, scope: 'private orders', state });
  location.assign(url);
}
export function callback() {
  const fields = v.parse(Callback, Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
  if (fields.state !== sessionStorage.getItem('state')) throw new Error('state mismatch');
  history.replaceState(null, '', location.pathname + location.search);
  return fields;
}
`,
  },
];
const rows = [
  { 'sign-in code': '@grantkit/smithcart', 'min B': code.length, 'gzip -9 B': gzip },
  {
    'sign-in code': '@grantkit/smithcart, production condition',
    'min B': production.length,
    'gzip -9 B': productionGzip,
  },
];
for (const peer of peers) {
  const { minified, gzip: peerGzip } = await measureBundle(peer);
  rows.push({ 'sign-in code': peer.name, 'min B': minified, 'gzip -9 B': peerGzip });
}
console.log('Side by side (same run, esbuild platform browser, minified, gzip -9)');
console.table(rows);

const failures = [
  ...(gzip > budget ? [`Over budget by ${gzip - budget} bytes.`] : []),
  ...(Number.isNaN(productionBudget) ? ['No `smithcart sign-in production budget` in size-budget.json.'] : []),
  ...(productionGzip > productionBudget
    ? [`The production condition is over its budget by ${productionGzip - productionBudget} bytes.`]
    : []),
  ...(ky.length > 0 ? ['ky must not be in this bundle.'] : []),
];
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
