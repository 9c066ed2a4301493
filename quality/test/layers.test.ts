import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';

const checker = fileURLToPath(new URL('../../scripts/check-layers.mjs', import.meta.url));
const repository = fileURLToPath(new URL('../..', import.meta.url));

type Tree = Record<string, string | object>;

let fixture: string | undefined;
afterEach(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

/** A workspace like the repository's: core, the two flows, one app, with the given files added or replaced. */
function workspace(extra: Tree): string {
  fixture = mkdtempSync(join(tmpdir(), 'grantkit-layers-'));
  const core = { '@grantkit/core': 'workspace:^' };
  const files: Tree = {
    'packages/core/package.json': { name: '@grantkit/core' },
    'packages/core/src/index.ts': "export { AccessToken } from './access-token.js';\n",
    'packages/core/src/testing/serve.ts': "import { createServer } from 'node:http';\n",
    'packages/smartconnect/package.json': { name: '@grantkit/smartconnect', dependencies: core },
    'packages/smartconnect/src/client.ts': "import { AccessToken } from '@grantkit/core';\n",
    'packages/smithcart/package.json': { name: '@grantkit/smithcart', dependencies: core },
    'packages/smithcart/src/client.ts': "import { createBearerClient } from '@grantkit/core/bearer';\n",
    'apps/demo/package.json': {
      name: 'demo',
      dependencies: { '@grantkit/smartconnect': 'workspace:^', '@grantkit/smithcart': 'workspace:^' },
    },
    'apps/demo/src/main.ts':
      "import { readFile } from 'node:fs/promises';\nimport { createSmithCartClient } from '@grantkit/smithcart';\n",
    ...extra,
  };
  for (const [path, content] of Object.entries(files)) {
    const file = join(fixture, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return fixture;
}

function check(root: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [checker, root], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('the layering check', () => {
  it('passes on the repository itself', () => {
    const { status, output } = check(repository);
    expect(output).toContain('every import follows the layer rules');
    expect(status).toBe(0);
  });

  it('passes on a workspace that follows the rules', () => {
    expect(check(workspace({})).status).toBe(0);
  });

  it.each([
    [
      'a flow package importing the other flow',
      { 'packages/smartconnect/src/bad.ts': "import { handleCallback } from '@grantkit/smithcart';\n" },
      "packages/smartconnect/src/bad.ts: imports '@grantkit/smithcart'",
    ],
    [
      'core importing a flow',
      { 'packages/core/src/bad.ts': "export { requestPasswordToken } from '@grantkit/smartconnect';\n" },
      "packages/core/src/bad.ts: imports '@grantkit/smartconnect'",
    ],
    [
      "an app reaching into a package's internal entry",
      { 'apps/demo/src/bad.ts': "import { redactUrl } from '@grantkit/core/internal';\n" },
      'apps use public entry points only',
    ],
    [
      "an app reaching into a package's source by path",
      { 'apps/demo/src/bad.ts': "import { userPath } from '../../../packages/smithcart/src/user-path.js';\n" },
      'must stay inside its own workspace',
    ],
    [
      'library source importing a node: module',
      { 'packages/smithcart/src/bad.ts': "import { randomBytes } from 'node:crypto';\n" },
      'web-standard globals only',
    ],
    [
      'an import of a package not declared in package.json',
      { 'packages/smithcart/package.json': { name: '@grantkit/smithcart' } },
      '@grantkit/core is not declared',
    ],
  ])('fails on %s, naming the file and the rule', (_name, files, expected) => {
    const { status, output } = check(workspace(files));
    expect(output).toContain(expected);
    expect(status).toBe(1);
  });
});
