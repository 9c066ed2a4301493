// A release rehearsal: pack every publishable package as `pnpm publish` would (workspace ranges rewritten),
// install the tarballs with npm into an empty project outside the workspace, and run each package README's
// first ```ts run example there. What it prints must match the README, as in `pnpm examples`.
// Usage: pnpm release:dry-run  (builds the packages first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blocksOf, matchesOutput } from './readme-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((path) => !JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')).private);

const project = mkdtempSync(join(tmpdir(), 'grantkit-release-'));
let failures = 0;
try {
  const tarballs = packages.map((path) => {
    const packed = run('pnpm', ['pack', '--pack-destination', project], path).trim().split('\n').at(-1) ?? '';
    return packed.startsWith('/') ? packed : join(project, packed);
  });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'release-dry-run', private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);
  const peers = packages.flatMap((path) =>
    Object.keys(JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')).peerDependencies ?? {}),
  );
  if (peers.length > 0)
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...new Set(peers)], project);

  // What an example imports besides grantkit and its peers (an SDK it wires up, say) is what its README tells the
  // user to install beside it: the version this repository tests with.
  const examples = packages.map((path) => {
    const readme = join(path.slice(root.length), 'README.md');
    return { path, readme, example: blocksOf(root, readme).find((block) => block.run) };
  });
  const extras = new Set<string>();
  for (const { path, example } of examples) {
    for (const [, specifier = ''] of (example?.code ?? '').matchAll(/from '([^'.][^']*)'/g)) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!name || name.startsWith('@grantkit/') || name.startsWith('node:') || peers.includes(name)) continue;
      const manifest = join(path, 'node_modules', name, 'package.json');
      extras.add(`${name}@${JSON.parse(readFileSync(manifest, 'utf8')).version}`);
    }
  }
  if (extras.size > 0) run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extras], project);

  for (const { readme, example } of examples) {
    if (!example?.expected) {
      failures += 1;
      console.error(`${readme}: no \`\`\`ts run example with a \`\`\`text block of its output to rehearse`);
      continue;
    }
    const file = join(project, `${readme.replace(/\W+/g, '-')}.ts`);
    writeFileSync(file, `${example.code}\nexport {};\n`);
    const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', file], {
      cwd: project,
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
    });
    if (result.status === 0 && matchesOutput(result.stdout, example.expected)) {
      console.log(`${readme}:${example.line}: ran from the packed tarballs as the README shows`);
    } else {
      failures += 1;
      console.error(`${readme}:${example.line}: exit ${result.status}\n${result.stdout}${result.stderr}`);
    }
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
