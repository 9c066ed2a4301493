// Whether a `pnpm …` command a document shows names a script (or a bin) that exists, in a workspace that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Commands pnpm hands to npm whatever the scripts are: `pnpm docs` opens the package's page on npm.
const NPM_COMMANDS = new Set(['docs', 'home', 'bugs', 'repo', 'view', 'info', 'search', 'login', 'logout', 'whoami']);
const PNPM_COMMANDS = new Set([
  'install',
  'i',
  'add',
  'remove',
  'exec',
  'dlx',
  'pack',
  'publish',
  'run',
  'why',
  'list',
]);

interface Workspace {
  name: string;
  path: string;
  scripts: Record<string, string>;
}

function workspacesIn(root: string): Workspace[] {
  const read = (path: string): Workspace => {
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    return { name: manifest.name, path, scripts: manifest.scripts ?? {} };
  };
  const folders = ['packages', 'apps', 'tools'].flatMap((folder) =>
    existsSync(join(root, folder)) ? readdirSync(join(root, folder)).map((name) => join(root, folder, name)) : [],
  );
  return [root, join(root, 'quality'), ...folders].filter((path) => existsSync(join(path, 'package.json'))).map(read);
}

/** What is wrong with `command`, or `undefined` when its script and workspace exist. */
export function pnpmCommandProblem(root: string, command: string): string | undefined {
  const workspaces = workspacesIn(root);
  const words = command
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((word) => !['-s', '--silent'].includes(word));
  let target = workspaces[0];
  if (words[0] === '--filter' || words[0]?.startsWith('--filter=')) {
    const name = words[0].includes('=') ? words[0].slice('--filter='.length) : words[1];
    words.splice(0, words[0].includes('=') ? 1 : 2);
    target = workspaces.find((workspace) => workspace.name === name);
    if (!target) return `no workspace named ${name}`;
  }
  const script = words[0];
  if (script === undefined || !target) return 'no script named';
  if (NPM_COMMANDS.has(script))
    return `pnpm runs npm's own "${script}" command, not the script: write \`pnpm run ${script}\``;
  if (script in target.scripts || PNPM_COMMANDS.has(script)) return undefined;
  if (existsSync(join(root, 'node_modules/.bin', script))) return undefined;
  return `${target.name} has no script "${script}"`;
}
