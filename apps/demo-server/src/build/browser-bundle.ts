import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Options of {@link buildBrowserBundle}. */
export interface BrowserBundleOptions {
  /** Where `app.js`, `callback.js`, `callback.html` and `app.css` go. */
  outdir: string;
  /**
   * Bundle the workspace packages from their TypeScript sources instead of
   * their built `dist/`, as the tests' module mapping does, so no build is needed first.
   */
  fromSource?: boolean;
}

const appRoot = fileURLToPath(new URL('../../', import.meta.url));
const workspaceRoot = join(appRoot, '../../');

/**
 * Sends `@grantkit/<package>` to `packages/<package>/src/index.ts`, `@grantkit/<package>/testing` to its
 * `src/testing/index.ts` and `@grantkit/<package>/<subpath>` to its `src/<subpath>.ts`.
 */
const workspaceSources: Plugin = {
  name: 'grantkit-workspace-sources',
  setup(builder) {
    builder.onResolve({ filter: /^@grantkit\/[a-z-]+(?:\/[a-z-]+)?$/ }, (args) => {
      const [name, subpath] = args.path.slice('@grantkit/'.length).split('/');
      const file =
        subpath === undefined ? 'src/index.ts' : subpath === 'testing' ? 'src/testing/index.ts' : `src/${subpath}.ts`;
      return { path: join(workspaceRoot, 'packages', name as string, file) };
    });
  },
};

/**
 * Bundles the browser code (the home page's SmithCart panel and the callback
 * page) with esbuild from `@grantkit/smithcart`'s public entry point, and
 * copies the static files beside it.
 */
export async function buildBrowserBundle(options: BrowserBundleOptions): Promise<void> {
  await mkdir(options.outdir, { recursive: true });
  await build({
    entryPoints: {
      app: join(appRoot, 'src/browser/app.ts'),
      callback: join(appRoot, 'src/browser/callback.ts'),
    },
    outdir: options.outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: options.fromSource ? [workspaceSources] : [],
  });
  const assets = join(appRoot, 'src/public');
  for (const name of await readdir(assets)) await copyFile(join(assets, name), join(options.outdir, name));
}
