import { fileURLToPath } from 'node:url';
import { buildBrowserBundle } from './browser-bundle.js';

// `pnpm build` runs this after tsc: the bundle lands in dist/public, where the server serves it from.
await buildBrowserBundle({ outdir: fileURLToPath(new URL('../public/', import.meta.url)) });
