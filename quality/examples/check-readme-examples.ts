// Every `pnpm …` command the documents show must name a script that exists, and ```sh run blocks are run.
// Every TypeScript block of every README (and CONTRIBUTING.md) is type-checked against the built packages, as a
// user who pastes it would compile it. A block fenced ```ts run is also run (Node strips its types), and what it
// prints must match the ```text block that follows it, where `…` stands for any text within a line.
// Usage: pnpm examples  (builds the packages first)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommandProblem } from './pnpm-command.js';
import {
  blocksOf,
  matchesOutput,
  pnpmCommandsOf,
  type ReadmeBlock,
  readmesIn,
  shellRunBlocksOf,
} from './readme-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const workDir = fileURLToPath(new URL('../.examples/', import.meta.url));
const RUN_TIMEOUT_MS = 30_000;

interface Example extends ReadmeBlock {
  file: string;
}

function prepare(): Example[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const examples = readmesIn(root).flatMap((readme) =>
    blocksOf(root, readme).map((example, index) => {
      const slug = dirname(readme) === '.' ? 'root' : dirname(readme).replace(/[/\\]/g, '-');
      const file = join(workDir, `${slug}-${readme.replace(/\W+/g, '-')}${index + 1}.ts`);
      writeFileSync(file, `${example.code}\nexport {};\n`);
      return { ...example, file };
    }),
  );
  writeFileSync(
    join(workDir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        types: ['node'],
        noUnusedLocals: false,
        noUnusedParameters: false,
        isolatedDeclarations: false,
        declaration: false,
        declarationMap: false,
        sourceMap: false,
      },
      include: ['*.ts'],
    }),
  );
  return examples;
}

const examples = prepare();
const where = (example: Example) => `${example.readme}:${example.line}`;
let failures = 0;

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', workDir], {
  encoding: 'utf8',
});
if (tsc.status !== 0) {
  for (const line of tsc.stdout.split('\n').filter(Boolean)) {
    const match = line.match(/^(?:.*[/\\])?([^/\\(]+\.ts)\((\d+),(\d+)\): (.*)$/);
    const example = match && examples.find((candidate) => candidate.file.endsWith(match[1] ?? ''));
    if (example && match) {
      failures += 1;
      console.error(`${example.readme}:${example.line + Number(match[2]) - 1}: ${match[4]}`);
    } else if (!line.startsWith(' ')) {
      console.error(line);
    }
  }
  failures ||= 1;
}

for (const example of examples.filter((candidate) => candidate.run)) {
  const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', example.file], {
    cwd: dirname(example.file),
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    failures += 1;
    console.error(`${where(example)}: the example exited with ${result.status ?? result.signal}\n${result.stderr}`);
  } else if (example.expected === undefined) {
    failures += 1;
    console.error(`${where(example)}: a \`\`\`ts run block must be followed by a \`\`\`text block of its output`);
  } else if (!matchesOutput(result.stdout, example.expected)) {
    failures += 1;
    console.error(`${where(example)}: printed\n${result.stdout}\nwhere the README shows\n${example.expected}`);
  }
}

for (const readme of readmesIn(root)) {
  for (const { line, command } of pnpmCommandsOf(root, readme)) {
    const problem = pnpmCommandProblem(root, command);
    if (problem) {
      failures += 1;
      console.error(`${readme}:${line}: \`${command}\`: ${problem}`);
    }
  }
  for (const { line, script } of shellRunBlocksOf(root, readme)) {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) {
      failures += 1;
      console.error(`${readme}:${line}: the commands exited with ${result.status}\n${result.stdout}${result.stderr}`);
    }
  }
}

const ran = examples.filter((example) => example.run).length;
console.log(
  `README examples: ${examples.length} type-checked, ${ran} run, from ${readmesIn(root).length} files (${relative(root, workDir)})`,
);
if (failures > 0) {
  console.error(`${failures} README example problem(s)`);
  process.exit(1);
}
