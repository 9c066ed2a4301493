// After tsc: the entry points once more as a few ESM files for the `node` export condition, because Node's ESM
// loader pays for every module it resolves, reads and links (cold import of @grantkit/core: some 25 files, 15 ms
// and more above valibot's own import; a handful of chunks: a few ms). Bundlers and browsers keep the per-file
// dist/, which they shake module by module. Shared code goes into chunks, so that every entry point sees one
// copy of each class. ky and valibot stay imports. The `#…` imports are bundled in as their default variant, which
// is what Node, Deno and Bun resolve: two modules fewer to resolve, some 2.5 ms of the cold import (the browser,
// workerd and production variants are for bundlers, which read the per-file dist/).
// The entry points are those of package.json `exports`; each must name its `node` file.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const entries = Object.entries(exports).filter(([, target]) => typeof target === 'object');
for (const [subpath, target] of entries) {
  const expected = target.default.replace('./dist/', './dist/node/');
  if (target.node !== expected) throw new Error(`exports["${subpath}"] needs "node": "${expected}" before "default".`);
}
rmSync(new URL('dist/node/', root), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: entries.map(([, target]) => target.default),
  outbase: 'dist',
  outdir: 'dist/node',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
