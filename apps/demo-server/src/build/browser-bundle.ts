import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Options of {@link buildBrowserBundle}. */
export interface BrowserBundleOptions {
  /** Where `app.js`, `app.css` and `favicon.ico` go. */
  outdir: string;
  /**
   * Bundle the workspace packages from their TypeScript sources (their `@grantkit/source` export
   * condition, as tests and tsc read them) instead of their built `dist/`, so no build is needed first.
   */
  fromSource?: boolean;
}

const appRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles the browser code (the home page's SmithCart panel, which also
 * finishes the connection on the callback URL) with esbuild from `@grantkit/smithcart`'s public entry point, and
 * copies the static files beside it.
 */
export async function buildBrowserBundle(options: BrowserBundleOptions): Promise<void> {
  // Start empty, so that no file of an older build (a source map, a removed page) stays servable.
  await rm(options.outdir, { recursive: true, force: true });
  await mkdir(options.outdir, { recursive: true });
  await build({
    entryPoints: {
      app: join(appRoot, 'src/browser/app.ts'),
    },
    outdir: options.outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // No source map: the demo ships what runs, and serves no map of its sources.
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    ...(options.fromSource ? { conditions: ['@grantkit/source'] } : {}),
  });
  const assets = join(appRoot, 'src/public');
  for (const name of await readdir(assets)) await copyFile(join(assets, name), join(options.outdir, name));
}
