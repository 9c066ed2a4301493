// The checklist of a publishable package (CONTRIBUTING.md, "Adding a package"), checked for every package in
// packages/: ESM with an exports map of types + default (+ the source condition), no side effects, the Node
// floor, the files it ships, the publish metadata, its package checks, a README with a runnable example, a size
// budget, and a place in the changesets config.
// Usage: node scripts/check-packages.mjs [root]   (exit 1 and one line per missing item)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const problems = [];

const budgets = existsSync(join(root, 'quality/size-budget.json'))
  ? readJson(join(root, 'quality/size-budget.json'))
  : {};
const changesets = existsSync(join(root, '.changeset/config.json'))
  ? readJson(join(root, '.changeset/config.json'))
  : {};

for (const folder of readdirSync(join(root, 'packages'))) {
  const directory = join(root, 'packages', folder);
  if (!existsSync(join(directory, 'package.json'))) continue;
  const manifest = readJson(join(directory, 'package.json'));
  if (manifest.private) continue;
  const name = manifest.name ?? `packages/${folder}`;
  const expect = (ok, item) => ok || problems.push(`${name}: ${item}`);

  expect(manifest.name === `@grantkit/${folder}`, `"name" is @grantkit/${folder}, as its folder`);
  expect(manifest.type === 'module', '"type": "module" (ESM only)');
  expect(manifest.sideEffects === false, '"sideEffects": false');
  expect(manifest.engines?.node === '>=22', '"engines": { "node": ">=22" }');
  expect(manifest.license === 'MIT', '"license": "MIT"');
  expect(typeof manifest.description === 'string' && manifest.description.length > 0, 'a "description"');
  expect(manifest.repository?.directory === `packages/${folder}`, '"repository" with "directory": "packages/…"');
  expect(typeof manifest.homepage === 'string', 'a "homepage"');
  expect(typeof manifest.bugs === 'string' || typeof manifest.bugs?.url === 'string', 'a "bugs" URL');
  expect(manifest.files?.includes('dist'), '"files" ships dist');
  expect(manifest.files?.includes('src'), '"files" ships src (the declaration maps point into it)');
  expect(manifest.publishConfig?.access === 'public', '"publishConfig": { "access": "public" }');
  expect(manifest.scripts?.['lint:package']?.includes('publint'), 'a "lint:package" script with publint and attw');
  expect(manifest.scripts?.['lint:package']?.includes('--profile esm-only'), 'attw runs with --profile esm-only');

  const exportsMap = manifest.exports ?? {};
  expect(exportsMap['./package.json'] === './package.json', 'exports "./package.json"');
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === './package.json') continue;
    expect(
      Object.keys(target ?? {})[0] === '@grantkit/source' && /^\.\/src\/.+\.ts$/.test(target['@grantkit/source']),
      `exports "${subpath}" lists "@grantkit/source": "./src/….ts" first (the workspace's source mapping)`,
    );
    expect(
      typeof target?.types === 'string' && typeof target?.default === 'string',
      `exports "${subpath}" has types and default`,
    );
  }
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    expect(
      ['ky', 'valibot'].includes(dependency) || dependency.startsWith('@grantkit/'),
      `runtime dependency ${dependency} is ky, valibot or @grantkit/* (others are peers)`,
    );
  }

  const readme = join(directory, 'README.md');
  expect(existsSync(readme), 'a README.md');
  if (existsSync(readme)) {
    expect(/^```ts run$/m.test(readFileSync(readme, 'utf8')), 'a README example fenced ```ts run (run in CI)');
  }
  expect(
    Object.keys(budgets).some((bundle) => bundle.startsWith(folder)),
    `a size budget in quality/size-budget.json ("${folder} …")`,
  );
  expect(!(changesets.ignore ?? []).includes(name), 'not ignored by .changeset/config.json');
}

if (problems.length > 0) {
  console.error(`Package checklist: ${problems.length} item(s) missing`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('Package checklist: every package has what a published package needs.');
