// The layer rules of the design, checked over every import in packages/ and apps/:
//   core ← smartconnect, smithcart, redis ← apps   (arrows point one way; a flow never imports the other flow)
// - a library's source imports only the @grantkit packages its layer allows, and declares them in package.json;
// - apps import only public entry points (never `/internal`, never a package's `src/`);
// - no relative import leaves its own workspace;
// - library source uses no `node:` module, except the testing helpers that start servers (NODE_TESTING_HELPERS).
// Tests (`*.test.ts`, `test/`) may import any public entry point their package declares as a devDependency.
// Usage: node scripts/check-layers.mjs [root]   (exit 1 and one line per violation when a rule is broken)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));

/** The @grantkit packages each library's source may import; a new package may import core only. */
const ALLOWED_BY_LAYER = {
  '@grantkit/core': [],
};
const DEFAULT_ALLOWED = ['@grantkit/core'];
// Testing entries that serve or start real servers on 127.0.0.1 (node:http, redis-server) for users' tests.
const NODE_TESTING_HELPERS = ['packages/core/src/testing/', 'packages/redis/src/testing/'];
const PUBLIC_SUBPATHS = new Set(['', '/testing', '/bearer']);
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s*(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function filesUnder(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : SOURCE_FILE.test(name) ? [path] : [];
  });
}

function workspacesIn(folder) {
  const directory = join(root, folder);
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .map((name) => join(directory, name))
    .filter((path) => existsSync(join(path, 'package.json')))
    .map((path) => ({ path, kind: folder, manifest: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) }));
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/^\s*(?:\/\/.*|\*.*|\/\*.*)$/gm, '');
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2]);
}

function isTest(workspace, file) {
  const inside = relative(workspace.path, file).split(sep);
  return inside[0] === 'test' || /\.test\.[cm]?[jt]sx?$/.test(file);
}

const violations = [];
for (const workspace of [...workspacesIn('packages'), ...workspacesIn('apps')]) {
  const { manifest, kind } = workspace;
  const runtime = { ...manifest.dependencies, ...manifest.peerDependencies };
  const declared = { ...runtime, ...manifest.devDependencies };
  const allowed = ALLOWED_BY_LAYER[manifest.name] ?? DEFAULT_ALLOWED;
  for (const file of [...filesUnder(join(workspace.path, 'src')), ...filesUnder(join(workspace.path, 'test'))]) {
    const where = relative(root, file);
    const test = isTest(workspace, file);
    for (const specifier of importsOf(file)) {
      const report = (rule) => violations.push(`${where}: imports '${specifier}': ${rule}`);
      if (specifier.startsWith('.')) {
        if (relative(workspace.path, resolve(dirname(file), specifier)).startsWith('..')) {
          report('a relative import must stay inside its own workspace; import the package by name');
        }
        continue;
      }
      const node = specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
      if (node && kind === 'packages' && !test) {
        if (!NODE_TESTING_HELPERS.some((folder) => where.startsWith(folder.split('/').join(sep))))
          report('library source uses web-standard globals only (node: is for apps and tests)');
        continue;
      }
      const grantkit = specifier.match(/^(@grantkit\/[^/]+)(\/.*)?$/);
      if (!grantkit) continue;
      const [, name, subpath = ''] = grantkit;
      if (name === manifest.name) continue;
      if (subpath.startsWith('/src') || subpath.startsWith('/dist')) {
        report("import the package's entry points, never its files");
      } else if (kind === 'apps' && !PUBLIC_SUBPATHS.has(subpath)) {
        report(`apps use public entry points only (${[...PUBLIC_SUBPATHS].map((path) => name + path).join(', ')})`);
      } else if (kind === 'packages' && !test && !allowed.includes(name)) {
        report(`${manifest.name} may import only ${allowed.join(', ') || 'no other @grantkit package'}`);
      } else if (!(name in (test ? declared : runtime))) {
        report(`${name} is not declared in ${relative(root, join(workspace.path, 'package.json'))}`);
      }
    }
  }
}

if (violations.length > 0) {
  console.error(`Layering: ${violations.length} violation(s) of the rules in scripts/check-layers.mjs`);
  for (const line of violations) console.error(`  ${line}`);
  process.exit(1);
}
console.log('Layering: every import follows the layer rules.');
