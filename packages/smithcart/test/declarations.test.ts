import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const coreDir = fileURLToPath(new URL('../../core', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let work: string;

async function typescript(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, ...args], { cwd: work });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: `${stdout}${stderr}` };
  }
}

beforeAll(async () => {
  // Under the package's node_modules, so that the consumer resolves @types/node, ky and valibot as a user would.
  await mkdir(`${packageDir}node_modules/.cache`, { recursive: true });
  work = await mkdtemp(`${packageDir}node_modules/.cache/declarations-`);
  const core = await typescript(
    '-p',
    `${coreDir}/tsconfig.build.json`,
    '--emitDeclarationOnly',
    '--outDir',
    `${work}/core`,
  );
  if (core.code !== 0) throw new Error(`emitting the declarations of core failed:\n${core.output}`);
  // smithcart's declarations against core's as just emitted (a user gets both from the registry), not core's dist/.
  await writeFile(
    `${work}/smithcart.tsconfig.json`,
    JSON.stringify({
      extends: `${packageDir}tsconfig.build.json`,
      compilerOptions: {
        emitDeclarationOnly: true,
        outDir: './smithcart',
        paths: {
          '@grantkit/core': ['./core/index.d.ts'],
          '@grantkit/core/bearer': ['./core/bearer.d.ts'],
          '@grantkit/core/internal': ['./core/internal.d.ts'],
          '@grantkit/core/testing': ['./core/testing/index.d.ts'],
        },
      },
    }),
  );
  const smithcart = await typescript('-p', 'smithcart.tsconfig.json');
  if (smithcart.code !== 0) throw new Error(`emitting the declarations of smithcart failed:\n${smithcart.output}`);
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the published declarations', () => {
  it('type-check without the DOM library (lib ES2022, types node, skipLibCheck false)', async () => {
    await writeFile(
      `${work}/consumer.ts`,
      [
        "import * as smithcart from '@grantkit/smithcart';",
        "import * as testing from '@grantkit/smithcart/testing';",
        'export const names: string[] = [...Object.keys(smithcart), ...Object.keys(testing)];',
        '',
      ].join('\n'),
    );
    await writeFile(
      `${work}/tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          types: ['node'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          paths: {
            '@grantkit/core': ['./core/index.d.ts'],
            '@grantkit/core/testing': ['./core/testing/index.d.ts'],
            '@grantkit/smithcart': ['./smithcart/index.d.ts'],
            '@grantkit/smithcart/testing': ['./smithcart/testing/index.d.ts'],
          },
        },
        files: ['consumer.ts'],
      }),
    );
    const checked = await typescript('-p', 'tsconfig.json');
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  }, 120_000);

  // @types/node 22 declares some web globals (Storage among them), so the check above alone can pass where
  // an older @types/node, Deno or an edge runtime's types lack them: no declaration may name a DOM-only type.
  it('name no type that only the DOM library (or a recent @types/node) declares', async () => {
    const domOnly = /\b(Storage|History|Location|Window|WindowProxy|Document|HTMLElement|Navigator|LockManager|Lock)\b/;
    const offenders: string[] = [];
    for (const file of await readdir(`${work}/smithcart`, { recursive: true })) {
      if (!file.endsWith('.d.ts')) continue;
      const code = (await readFile(`${work}/smithcart/${file}`, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '');
      for (const line of code.split('\n')) if (domOnly.test(line)) offenders.push(`${file}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });
});
