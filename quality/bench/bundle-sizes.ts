// Browser bundle sizes (esbuild, platform browser, minified, gzip level 9) of grantkit's entry points.
//   pnpm turbo run build --filter @grantkit/quality^... && pnpm exec tsx bench/bundle-sizes.ts
import { measureBundles } from './bundles.js';
import { report } from './measure.js';

report(
  'Browser bundles (esbuild, platform browser, minified; gzip level 9; from the built dist)',
  (await measureBundles()).map((size) => ({
    bundle: size.name,
    'min bytes': size.minified,
    'min+gzip bytes': size.gzip,
  })),
);
