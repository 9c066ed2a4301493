import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const quality = fileURLToPath(new URL('..', import.meta.url));

// A separate Node process on the built packages, as a user's script: Node picks @grantkit/core's `node` build
// (a few bundled chunks, for a fast cold import). Its entry points must still share one copy of each class.
const script = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
const core = await import('@grantkit/core');
const coreModules = loaded.filter((url) => url.includes('/packages/core/'));
const coreLoadsKy = loaded.some((url) => /node_modules\\/(\\.pnpm\\/)?ky[@/]/.test(url));
const internal = await import('@grantkit/core/internal');
const bearer = await import('@grantkit/core/bearer');
let sameClass = false;
try {
  internal.assertSecureUrl('http://api.example.com', 'baseUrl');
} catch (error) {
  sameClass = error instanceof core.ConfigurationError && core.isGrantKitError(error, 'configuration_error');
}
console.log(JSON.stringify({
  resolved: import.meta.resolve('@grantkit/core').replace(/^.*packages\\/core\\//, ''),
  coreModules: coreModules.length,
  coreLoadsKy,
  sameClass,
  bearer: typeof bearer.createBearerClient,
}));
`;

describe("@grantkit/core's build for Node", () => {
  it('loads a handful of modules and no ky, and its entry points share their classes', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: quality,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (child.status !== 0) throw new Error(`the script failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout) as { coreModules: number };
    expect(result).toEqual({
      resolved: 'dist/node/index.js',
      coreModules: expect.any(Number),
      coreLoadsKy: false,
      sameClass: true,
      bearer: 'function',
    });
    // The per-file build loads some 25 modules; each costs Node's loader a resolve, a read and a link.
    expect(result.coreModules).toBeLessThanOrEqual(6);
  });
});
