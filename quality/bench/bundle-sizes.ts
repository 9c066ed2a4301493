// Browser bundle sizes (esbuild, platform browser, minified, gzip level 9) of grantkit's entry points, and of
// the peers they are held to, bundled in the same run.
//   pnpm turbo run build --filter @grantkit/quality^... && pnpm exec tsx bench/bundle-sizes.ts
import { measureBundle, measureBundles } from './bundles.js';
import { report } from './measure.js';
import { PEER_BUNDLES } from './peer-bundles.js';

const [own, production, peers] = await Promise.all([
  measureBundles(),
  measureBundles(['production']),
  Promise.all(PEER_BUNDLES.map((peer) => measureBundle(peer))),
]);
report(
  'Browser bundles (esbuild, platform browser, minified; gzip level 9; grantkit from the built dist, peers from npm)',
  [...own.map((size) => ({ ...size, by: 'grantkit' })), ...peers.map((size) => ({ ...size, by: 'peer' }))].map(
    (size) => ({
      bundle: size.name,
      by: size.by,
      'min bytes': size.minified,
      'min+gzip bytes': size.gzip,
      // The same entry with the `production` condition (short error messages); the peers have no such build.
      'production min+gzip bytes': production.find((built) => built.name === size.name)?.gzip ?? '—',
    }),
  ),
);
