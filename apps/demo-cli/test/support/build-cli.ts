import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// At run time the CLI loads `@grantkit/*` through their `exports`, which point at `dist/`:
// build those workspaces first, then the CLI itself, in dependency order.
const workspaces = ['packages/core', 'packages/smartconnect', 'packages/smithcart', 'apps/demo-cli'];

function newest(path: string, skip: (name: string) => boolean = () => false): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) {
    if (!skip(name)) latest = Math.max(latest, newest(join(path, name), skip));
  }
  return latest;
}

/** Builds each workspace whose sources (or build settings) changed after its last build. */
export default function buildCli(): void {
  for (const workspace of workspaces) {
    const directory = join(root, workspace);
    const sources = Math.max(
      newest(join(directory, 'src'), (name) => name.endsWith('.test.ts')),
      newest(join(directory, 'tsconfig.json')),
      newest(join(directory, 'tsconfig.build.json')),
    );
    if (sources < newest(join(directory, 'dist'))) continue;
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: directory, stdio: 'pipe' });
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
      throw new Error(`Building ${workspace} for the CLI tests failed:\n${output}`);
    }
  }
}
