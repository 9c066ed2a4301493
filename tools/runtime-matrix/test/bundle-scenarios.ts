import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundles land: inside this workspace, so that the runtimes resolve `@grantkit/*` from its node_modules. */
export const OUT_DIR: string = `${root}dist`;

/**
 * Node, Bun and Deno run the scenarios with `@grantkit/*` left as imports, which each runtime resolves itself to
 * the built packages (`dist/`, through their `exports`); workerd cannot read node_modules, so its Worker module
 * is one bundle of the scenarios and the built packages, as wrangler would make it.
 */
export async function bundleScenarios(): Promise<void> {
  const common = { bundle: true, format: 'esm', target: 'es2022', logLevel: 'warning', absWorkingDir: root } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: ['src/entries/node.ts', 'src/entries/bun.ts', 'src/entries/deno.ts'],
      outdir: OUT_DIR,
      platform: 'neutral',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: ['src/entries/worker.ts', 'src/entries/worker-nodejs-compat.ts'],
      outdir: OUT_DIR,
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      external: ['node:*'],
    }),
  ]);
}
