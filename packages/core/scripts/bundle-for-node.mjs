// After tsc: the entry points once more as a few ESM files for the `node` export condition, because Node's ESM
// loader pays for every module it resolves, reads and links (cold import of @grantkit/core: 24 files, ~20 ms
// above valibot's own import; a handful of chunks: ~3 ms). Bundlers and browsers keep the per-file dist/, which
// they shake by module. Shared code goes into chunks, so that every entry point sees one copy of each class.
// ky, valibot and the `#…` imports (conditional per runtime) stay imports.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/node/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['index', 'bearer', 'internal', 'testing/index'].map((entry) => `dist/${entry}.js`),
  outbase: 'dist',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  external: ['#*'],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
