// The SmithCart sign-in (test/bundles/sign-in-entry.js) bundled by esbuild, Vite and webpack, for development
// and for production, then run in Node with a fake page (test/bundles/run-sign-in.mjs): a production bundle
// carries short messages (the code and a link to its docs section) and none of the long texts, and both keep
// the classes, codes, `isGrantKitError` and the structured fields. Sizes are printed, not asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build as esbuild } from 'esbuild';

type Build = 'development' | 'production';
type Bundler = (build: Build, outDir: string) => Promise<string>;

// Required, not imported: an ESM import of webpack's CommonJS exports reads its deprecated getters.
const webpack = createRequire(import.meta.url)('webpack') as typeof import('webpack');
const fixtures = fileURLToPath(new URL('bundles/', import.meta.url));
const entry = join(fixtures, 'sign-in-entry.js');
const DOCS = 'https://github.com/grantkit/grantkit/blob/main/docs/errors.md';

const bundlers: Record<string, Bundler> = {
  // esbuild sets no build condition of its own: production is `conditions: ['production']`.
  async esbuild(build, outDir) {
    const outfile = join(outDir, 'esbuild.mjs');
    await esbuild({
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: build === 'production' ? ['production'] : [],
      logLevel: 'error',
    });
    return outfile;
  },
  // `vite build` sets the production condition unless NODE_ENV says development.
  async vite(build, outDir) {
    const { NODE_ENV: _, ...env } = process.env;
    if (build === 'development') env.NODE_ENV = 'development';
    const child = spawnSync(process.execPath, [join(fixtures, 'vite-build.mjs'), outDir], { encoding: 'utf8', env });
    if (child.status !== 0) throw new Error(`vite build failed: ${child.stderr}`);
    return join(outDir, 'vite.mjs');
  },
  // webpack's `mode` sets the condition of the same name.
  async webpack(build, outDir) {
    const compiler = webpack({
      mode: build,
      entry,
      target: ['web', 'es2022'],
      devtool: false,
      output: { path: outDir, filename: 'webpack.mjs', module: true, library: { type: 'module' } },
      experiments: { outputModule: true },
      optimization: { minimize: true },
    });
    await new Promise<void>((resolve, reject) =>
      compiler.run((error, stats) => {
        compiler.close(() => {});
        if (error || stats?.hasErrors()) reject(error ?? new Error(stats?.toString('errors-only')));
        else resolve();
      }),
    );
    return join(outDir, 'webpack.mjs');
  },
};

interface Seen {
  name: string;
  code: string;
  message: string;
  fields: Record<string, unknown>;
  isGrantKitError: boolean;
  instanceOfClass: boolean;
  instanceOfGrantKitError: boolean;
  instanceOfError: boolean;
}

function run(bundle: string): { stateMismatch: Seen; oauth: Seen } {
  const child = spawnSync(process.execPath, [join(fixtures, 'run-sign-in.mjs'), bundle], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the bundle failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

// Texts of the development messages on this path; none of them may ride in a production bundle.
const LONG_TEXTS = [
  'start the authorization again',
  'its state is unknown or was already used',
  'Ask the user to authorize again',
  'The provider answered',
  'Check the client id and client secret',
  'must not contain a fragment',
  'is not an absolute URL',
  'The authorization callback is malformed',
];

const sizes: { bundler: string; build: Build; 'min B': number; 'gzip -9 B': number }[] = [];
const outRoot = mkdtempSync(join(tmpdir(), 'grantkit-bundles-'));
afterAll(() => {
  rmSync(outRoot, { recursive: true, force: true });
  console.log(
    `SmithCart sign-in entry + error classes, minified:\n${sizes
      .map(
        (row) => `  ${row.bundler.padEnd(8)} ${row.build.padEnd(12)} ${row['min B']} B, gzip -9 ${row['gzip -9 B']} B`,
      )
      .join('\n')}`,
  );
});

const cases = Object.keys(bundlers).flatMap((name) =>
  (['development', 'production'] as const).map((build) => [name, build] as const),
);

describe.each(cases)('the SmithCart sign-in bundled by %s for %s', (name, build) => {
  let code = '';
  let seen: { stateMismatch: Seen; oauth: Seen };

  beforeAll(async () => {
    const outDir = join(outRoot, `${name}-${build}`);
    const file = await (bundlers[name] as Bundler)(build, outDir);
    code = readFileSync(file, 'utf8');
    sizes.push({ bundler: name, build, 'min B': code.length, 'gzip -9 B': gzipSync(code, { level: 9 }).length });
    seen = run(file);
  }, 180_000);

  it('throws a StateMismatchError with its class, code and isGrantKitError', () => {
    expect(seen.stateMismatch).toMatchObject({
      name: 'StateMismatchError',
      code: 'state_mismatch',
      fields: {},
      isGrantKitError: true,
      instanceOfClass: true,
      instanceOfGrantKitError: true,
      instanceOfError: true,
    });
  });

  it("throws an OAuthError with its class, code and the provider's fields", () => {
    expect(seen.oauth).toMatchObject({
      name: 'OAuthError',
      code: 'oauth_error',
      isGrantKitError: true,
      instanceOfClass: true,
      instanceOfGrantKitError: true,
      instanceOfError: true,
    });
    expect(seen.oauth.fields).toEqual({
      error: 'access_denied',
      errorDescription: 'declined',
      errorUri: 'https://api.example.com/help',
    });
  });

  if (build === 'production') {
    it('says the code and links to its section of docs/errors.md', () => {
      expect(seen.stateMismatch.message).toBe(`state_mismatch: see ${DOCS}#state_mismatch`);
      expect(seen.oauth.message).toBe(`oauth_error: see ${DOCS}#oauth_error`);
    });

    it('carries none of the long messages', () => {
      for (const text of LONG_TEXTS) expect(code).not.toContain(text);
    });
  } else {
    it('says what went wrong and what to do next', () => {
      expect(seen.stateMismatch.message).toBe(
        'The authorization callback was refused: its state is unknown or was already used. Its token was discarded; start the authorization again.',
      );
      expect(seen.oauth.message).toBe(
        'The provider answered "access_denied" (declined). Ask the user to authorize again.',
      );
    });

    it('carries the long messages', () => {
      for (const text of LONG_TEXTS) expect(code).toContain(text);
    });
  }
});
