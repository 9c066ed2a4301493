// Every TypeScript block of every README (and CONTRIBUTING.md) is type-checked against the built packages, as a
// user who pastes it would compile it. A block fenced ```ts run is also run (Node strips its types), and what it
// prints must match the ```text block that follows it, where `…` stands for any text within a line.
// Usage: pnpm examples  (builds the packages first)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const workDir = fileURLToPath(new URL('../.examples/', import.meta.url));
const RUN_TIMEOUT_MS = 30_000;

interface Example {
  readme: string;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  code: string;
  run: boolean;
  expected: string | undefined;
  file: string;
}

function readmes(): string[] {
  const inFolder = (folder: string) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder)).map((name) => join(folder, name, 'README.md'))
      : [];
  return ['README.md', 'CONTRIBUTING.md', ...inFolder('packages'), ...inFolder('apps')].filter((path) =>
    existsSync(join(root, path)),
  );
}

function examplesOf(readme: string): Omit<Example, 'file'>[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const examples: Omit<Example, 'file'>[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = lines[index]?.match(/^```(ts|typescript)(?:\s+(run))?\s*$/);
    if (!open) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end += 1;
    const example: Omit<Example, 'file'> = {
      readme,
      line: start + 1,
      code: lines.slice(start, end).join('\n'),
      run: open[2] === 'run',
      expected: undefined,
    };
    if (example.run) {
      let next = end + 1;
      while (next < lines.length && !lines[next]?.startsWith('```')) next += 1;
      if (lines[next] === '```text') {
        let close = next + 1;
        while (close < lines.length && lines[close] !== '```') close += 1;
        example.expected = lines.slice(next + 1, close).join('\n');
      }
    }
    examples.push(example);
    index = end;
  }
  return examples;
}

/** Whether `actual` matches `expected`, line by line, where `…` in `expected` stands for any text. */
function matchesOutput(actual: string, expected: string): boolean {
  const pattern = expected
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trimEnd()
        .split('…')
        .map((part) => part.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
        .join('.*'),
    )
    .join('\n');
  const lines = actual
    .trim()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
  return new RegExp(`^${pattern}$`).test(lines);
}

function prepare(): Example[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const examples = readmes().flatMap((readme) =>
    examplesOf(readme).map((example, index) => {
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

const ran = examples.filter((example) => example.run).length;
console.log(
  `README examples: ${examples.length} type-checked, ${ran} run, from ${readmes().length} files (${relative(root, workDir)})`,
);
if (failures > 0) {
  console.error(`${failures} README example problem(s)`);
  process.exit(1);
}
