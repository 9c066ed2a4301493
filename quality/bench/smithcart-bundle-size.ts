// Size of the browser code an app ships for SmithCart's implicit grant: an entry that uses only
// createAuthorizationRequest, handleCallback and clearCallbackFragment from @grantkit/smithcart's
// published build, bundled by esbuild (minify, platform browser), then gzipped at level 9.
// Exits 1 above the budget (by default the recorded one in size-budget.json plus 10 %), or when ky ends up
// in the bundle.
//
//   pnpm turbo run build --filter @grantkit/smithcart && cd quality && pnpm exec tsx bench/smithcart-bundle-size.ts
//   options: --budget <gzip bytes>  --metafile (print the input files and their sizes)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const { values } = parseArgs({
  options: { budget: { type: 'string' }, metafile: { type: 'boolean', default: false } },
});
const recorded = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8')) as Record<
  string,
  number
>;
const budget = Number(values.budget ?? Math.floor((recorded['smithcart authorize+callback'] ?? 0) * 1.1));

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

const result = await build({
  stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'error',
});

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
console.log(`  modules:  ${included.length}, ky ${ky.length === 0 ? 'absent' : `PRESENT (${ky.join(', ')})`}`);
if (gzip > budget || ky.length > 0) {
  console.error(gzip > budget ? `Over budget by ${gzip - budget} bytes.` : 'ky must not be in this bundle.');
  process.exit(1);
}
