import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { build, type Platform } from 'esbuild';

// Which modules an app's sign-in bundle holds, by esbuild's metafile: the packages read from source (the
// `@grantkit/source` condition), with the conditions and platform a bundler for that runtime sets.
const SIGN_IN = `
import { clearCallbackFragment, createAuthorizationRequest, handleCallback } from '@grantkit/smithcart';
export const connect = (redirectUri) =>
  createAuthorizationRequest({ baseUrl: 'https://api.example.com', clientId: 'Y2XPZW50Q31A', redirectUri, scope: 'private orders' });
export async function callback() {
  try {
    return await handleCallback(location.href);
  } finally {
    clearCallbackFragment();
  }
}
`;

async function bundledModules(platform: Platform, conditions: string[] = []): Promise<string[]> {
  const result = await build({
    stdin: { contents: SIGN_IN, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    conditions: ['@grantkit/source', ...conditions],
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path.replace(/^packages\//, ''));
}

describe('the sign-in bundle', () => {
  describe('for a browser', () => {
    it('leaves out the diagnostics_channel lookup (the `browser` condition of #node-channels)', async () => {
      const modules = await bundledModules('browser');
      expect(modules).toContain('core/src/events/node-channels.browser.ts');
      expect(modules).not.toContain('core/src/events/node-channels.ts');
    });

    it('holds the sessionStorage state store but not MemoryStateStore (the `browser` condition of #default-state-store)', async () => {
      const modules = await bundledModules('browser');
      expect(modules).toContain('smithcart/src/default-state-store.browser.ts');
      expect(modules).toContain('smithcart/src/session-storage-state-store.ts');
      expect(modules).not.toContain('smithcart/src/memory-state-store.ts');
    });
  });

  describe.each([
    ['Node', 'node' as const, []],
    ['workerd (wrangler bundles with workerd, worker, browser)', 'browser' as const, ['workerd', 'worker']],
    ['Deno, Bun and other runtimes without a `browser` condition', 'neutral' as const, []],
  ])('for %s', (_runtime, platform, conditions) => {
    it('keeps the diagnostics_channel lookup', async () => {
      const modules = await bundledModules(platform, conditions);
      expect(modules).toContain('core/src/events/node-channels.ts');
      expect(modules).not.toContain('core/src/events/node-channels.browser.ts');
    });

    it('keeps MemoryStateStore as the default where there is no sessionStorage', async () => {
      const modules = await bundledModules(platform, conditions);
      expect(modules).toContain('smithcart/src/memory-state-store.ts');
      expect(modules).not.toContain('smithcart/src/default-state-store.browser.ts');
    });
  });
});
