import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigurationError,
  GrantKitError,
  HttpError,
  InsufficientScopeError,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  StateMismatchError,
  TimeoutError,
  TokenExpiredError,
} from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(repository, 'docs/errors.md'), 'utf8');

// One error of each class, with every field set.
const errors: GrantKitError[] = [
  new OAuthError({ error: 'invalid_grant', errorDescription: 'd', errorUri: 'https://a.example/e', status: 400 }),
  new StateMismatchError('it carries no state'),
  new InvalidResponseError('Bad', { status: 200, issues: [{ path: 'a', message: 'is required' }] }),
  new HttpError({ status: 404, method: 'GET', url: 'https://a.example/x', body: null }),
  new NetworkError('https://a.example'),
  new TimeoutError('GET https://a.example', 1_000),
  new TokenExpiredError(Date.UTC(2026, 0, 1)),
  new InsufficientScopeError({ required: 'orders', granted: 'public' }),
  new ConfigurationError('x'),
  new PopupBlockedError(),
  new PopupClosedError(),
];

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const sections = new Map(
  page
    .split(/^## /m)
    .slice(1)
    .map((section) => [anchorOf(section.slice(0, section.indexOf('\n'))), section] as const),
);

function sourcesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every code a package's source names: the `GrantKitErrorCode` union and each `super('<code>', …)`. */
function codesInSource(): string[] {
  const codes = new Set<string>();
  for (const file of sourcesUnder(join(repository, 'packages'))) {
    const text = readFileSync(file, 'utf8');
    for (const [, code] of text.matchAll(/\bsuper\(\s*'([a-z_]+)'/g)) codes.add(code as string);
    const union = /type GrantKitErrorCode =([^;]+);/.exec(text)?.[1] ?? '';
    for (const [, code] of union.matchAll(/'([a-z_]+)'/g)) codes.add(code as string);
  }
  return [...codes].sort();
}

describe('docs/errors.md', () => {
  it('covers every code that a package throws', () => {
    expect(errors.map((error) => error.code).sort()).toEqual(codesInSource());
  });

  it.each(errors.map((error) => [error.code, error] as const))(
    'has a section for %s that says what to do and names each field',
    (code, error) => {
      const section = sections.get(code);
      expect(section).toMatch(/What to do/);
      expect(section).toContain(`\`${error.name}\``);
      const fields = Object.keys(error).filter((key) => !['name', 'code', 'message'].includes(key));
      for (const field of fields) expect(section).toContain(`\`${field}\``);
      if (fields.length === 0) expect(section).toMatch(/Fields: none/);
    },
  );

  it.each(errors.map((error) => error.code))(
    'is where the message of a %s without its text (a production build) links to',
    (code) => {
      const manifest = JSON.parse(readFileSync(join(repository, 'packages/core/package.json'), 'utf8')) as {
        repository: { url: string };
      };
      const github = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
      const { message } = new GrantKitError(code, undefined);
      const link = new RegExp(`^${code}: see (\\S+)/blob/main/docs/errors\\.md#(\\S+)$`).exec(message);
      expect(link?.[1]).toBe(github);
      expect(sections.has(link?.[2] as string)).toBe(true);
    },
  );
});
