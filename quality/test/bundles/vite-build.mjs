// `vite build` of sign-in-entry.js in library mode, as a user's shell runs it: the production condition unless
// NODE_ENV=development. (Its own process: Vite's Rolldown bindings do not load inside jest's module sandbox.)
//   node vite-build.mjs <outDir>
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
await build({
  configFile: false,
  logLevel: 'error',
  root,
  build: {
    lib: { entry: `${root}sign-in-entry.js`, formats: ['es'], fileName: () => 'vite.mjs' },
    outDir: process.argv[2],
    emptyOutDir: false,
    minify: true,
  },
});
