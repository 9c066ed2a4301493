// Reading the TypeScript blocks of a README: ```ts blocks, and ```ts run blocks with the ```text block of their output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One TypeScript block of a README. */
export interface ReadmeBlock {
  readme: string;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  code: string;
  /** Fenced ```ts run: run it and compare what it prints with `expected`. */
  run: boolean;
  /** The ```text block after a run block: its output, `…` standing for any text within a line. */
  expected: string | undefined;
}

/** The README.md of the root, of every package and app, and CONTRIBUTING.md, as paths relative to `root`. */
export function readmesIn(root: string): string[] {
  const inFolder = (folder: string) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder)).map((name) => join(folder, name, 'README.md'))
      : [];
  return ['README.md', 'CONTRIBUTING.md', ...inFolder('packages'), ...inFolder('apps')].filter((path) =>
    existsSync(join(root, path)),
  );
}

/** The TypeScript blocks of one README, in order. */
export function blocksOf(root: string, readme: string): ReadmeBlock[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = lines[index]?.match(/^```(ts|typescript)(?:\s+(run))?\s*$/);
    if (!open) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end += 1;
    const block: ReadmeBlock = {
      readme,
      line: start + 1,
      code: lines.slice(start, end).join('\n'),
      run: open[2] === 'run',
      expected: undefined,
    };
    if (block.run) {
      let next = end + 1;
      while (next < lines.length && !lines[next]?.startsWith('```')) next += 1;
      if (lines[next] === '```text') {
        let close = next + 1;
        while (close < lines.length && lines[close] !== '```') close += 1;
        block.expected = lines.slice(next + 1, close).join('\n');
      }
    }
    blocks.push(block);
    index = end;
  }
  return blocks;
}

/** Whether `actual` matches `expected`, line by line, where `…` in `expected` stands for any text. */
export function matchesOutput(actual: string, expected: string): boolean {
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

/** One `pnpm …` command a document shows: in a ```sh block or as inline code. */
export interface DocumentedCommand {
  readme: string;
  line: number;
  command: string;
}

/** Every `pnpm …` command in a document's ```sh blocks and inline code spans. */
export function pnpmCommandsOf(root: string, readme: string): DocumentedCommand[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const commands: DocumentedCommand[] = [];
  let inShell = false;
  for (const [index, text] of lines.entries()) {
    if (text.startsWith('```')) {
      inShell = !inShell && /^```(?:sh|bash|shell)\b/.test(text);
      continue;
    }
    const found = inShell
      ? text.split(/&&|;/).map((part) => part.replace(/#.*$/, '').trim())
      : [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    for (const command of found) {
      if (/^pnpm\s/.test(command)) commands.push({ readme, line: index + 1, command });
    }
  }
  return commands;
}

/** The ```sh run blocks of a document: shell commands CI runs from the repository root. */
export function shellRunBlocksOf(root: string, readme: string): { line: number; script: string }[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const blocks: { line: number; script: string }[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!/^```(?:sh|bash) run$/.test(lines[index] ?? '')) continue;
    let end = index + 1;
    while (end < lines.length && lines[end] !== '```') end += 1;
    blocks.push({ line: index + 2, script: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return blocks;
}
