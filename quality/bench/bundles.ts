// Browser bundles of grantkit's entry points, minified and gzipped: shared by bench/run.ts and bench/check-size.ts.

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** One measured bundle: what an application imports from a package. */
export interface BundleSpec {
  name: string;
  contents: string;
  /** Module substitutions, e.g. a polyfill for a Node built-in the code imports. */
  alias?: Record<string, string>;
}

export const BUNDLES: readonly BundleSpec[] = [
  {
    name: 'smithcart authorize+callback',
    contents:
      "export { clearCallbackFragment, createAuthorizationRequest, handleCallback } from '@grantkit/smithcart';",
  },
  { name: 'smithcart client', contents: "export { createSmithCartClient } from '@grantkit/smithcart';" },
  {
    name: 'smartconnect',
    contents: "export { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';",
  },
  { name: 'core', contents: "export * from '@grantkit/core';" },
  { name: 'redis', contents: "export { RedisTokenStore } from '@grantkit/redis';" },
  { name: 'opentelemetry', contents: "export { instrumentGrantKit } from '@grantkit/opentelemetry';" },
];

export interface BundleSize {
  name: string;
  minified: number;
  gzip: number;
}

const resolveDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `spec` from the packages' built `dist` as a browser application would
 * (esbuild, platform browser, ESM, minified, tree-shaken) and gzips it at level 9; `conditions` are export
 * conditions to set besides esbuild's own (`['production']` for the short error messages); `plugins` may change
 * what a module holds (bench/size-ablation.ts takes features out that way).
 */
export async function measureBundle(
  spec: BundleSpec,
  conditions: string[] = [],
  plugins: Plugin[] = [],
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: spec.contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    conditions,
    plugins,
    ...(spec.alias ? { alias: spec.alias } : {}),
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { name: spec.name, minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

export function measureBundles(conditions: string[] = []): Promise<BundleSize[]> {
  return Promise.all(BUNDLES.map((spec) => measureBundle(spec, conditions)));
}
