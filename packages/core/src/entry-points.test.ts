import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const src = dirname(fileURLToPath(import.meta.url));
// Statements that load a module at run time: `import … from`, `export … from`, bare `import '…'`; not `import type`.
const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\b)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Every source file a `#…` specifier (package.json `imports`) may resolve to, whatever the conditions. */
async function sourceVariantsOf(specifier: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(src, '../package.json'), 'utf8')) as {
    imports: Record<string, { '@grantkit/source': Record<string, string> }>;
  };
  return Object.values(manifest.imports[specifier]?.['@grantkit/source'] ?? {}).map((path) => join(src, '..', path));
}

/** The packages the module graph of `entry` loads at run time, followed through every relative import. */
async function packagesLoadedBy(entry: string): Promise<string[]> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [join(src, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(RUNTIME_IMPORT)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (specifier.startsWith('#')) pending.push(...(await sourceVariantsOf(specifier)));
      else packages.add(specifier);
    }
  }
  return [...packages].sort();
}

describe('the entry points of @grantkit/core', () => {
  it('@grantkit/core loads valibot and no ky', async () => {
    await expect(packagesLoadedBy('index.ts')).resolves.toEqual(['valibot']);
  });

  it('@grantkit/core/internal loads no ky either', async () => {
    await expect(packagesLoadedBy('internal.ts')).resolves.toEqual([]);
  });

  it('@grantkit/core/bearer is where ky comes in', async () => {
    await expect(packagesLoadedBy('bearer.ts')).resolves.toEqual(['ky']);
  });
});
