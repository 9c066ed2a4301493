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
let message = '';
try {
  internal.assertSecureUrl('http://api.example.com', 'baseUrl');
} catch (error) {
  sameClass = error instanceof core.ConfigurationError && core.isGrantKitError(error, 'configuration_error');
  message = error.message;
}
// Events reach diagnostics_channel, as in the per-file build.
const { subscribe } = await import('node:diagnostics_channel');
const published = [];
subscribe('grantkit:http', (event) => published.push(event.purpose));
const transport = internal.createTransport({ root: new URL('http://127.0.0.1:9/'), fetch: async () => new Response(null, { status: 204 }) });
await transport.fetch('http://127.0.0.1:9/ping');
console.log(JSON.stringify({
  resolved: import.meta.resolve('@grantkit/core').replace(/^.*packages\\/core\\//, ''),
  coreModules: coreModules.length,
  coreLoadsKy,
  sameClass,
  fullMessage: !message.includes('docs/errors.md') && message.length > 40,
  published,
  bearer: typeof bearer.createBearerClient,
}));
`;

describe("@grantkit/core's build for Node", () => {
  it('loads a handful of modules and no ky, its entry points share their classes, and it keeps full messages and diagnostics_channel', () => {
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
      // Node users get the full messages: the `#…` imports are bundled in as their default variant.
      fullMessage: true,
      published: ['api'],
      bearer: 'function',
    });
    // The per-file build loads some 25 modules; each costs Node's loader a resolve, a read and a link.
    expect(result.coreModules).toBeLessThanOrEqual(6);
  });
});
