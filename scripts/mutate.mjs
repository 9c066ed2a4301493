// `pnpm mutate [package…] [stryker options]`: StrykerJS on each library package (every packages/* with a
// src/ folder), one after the other, or on the named ones (`pnpm mutate core`, `pnpm mutate --filter core`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const all = readdirSync('packages').filter((name) => existsSync(`packages/${name}/src`));
const args = process.argv.slice(2);
const named = [];
const strykerArgs = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--filter') named.push(args[++i]);
  else if (arg.startsWith('--filter=')) named.push(arg.slice('--filter='.length));
  else if (arg.startsWith('-')) {
    // An option's value is the next word, unless that word is an option or a package name.
    const next = args[i + 1];
    strykerArgs.push(arg, ...(next !== undefined && !next.startsWith('-') && !all.includes(next) ? [args[++i]] : []));
  } else named.push(arg);
}

const chosen = named.map((name) => name?.replace(/^@grantkit\//, ''));
const unknown = chosen.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown package ${unknown.join(', ')}; the library packages are ${all.join(', ')}.`);
  process.exit(2);
}

const run = (command, commandArgs, env = {}) =>
  spawnSync(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let failed = 0;
for (const pkg of chosen.length > 0 ? chosen : all) {
  // The TypeScript checker resolves sibling packages through their built declarations.
  if (run('turbo', ['run', 'build', `--filter=@grantkit/${pkg}^...`, '--output-logs=errors-only']) !== 0)
    process.exit(1);
  console.log(`\nMutation testing @grantkit/${pkg}: report in reports/mutation/${pkg}/index.html`);
  if (run('stryker', ['run', 'stryker.config.mjs', ...strykerArgs], { MUTATE_PACKAGE: pkg }) !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
