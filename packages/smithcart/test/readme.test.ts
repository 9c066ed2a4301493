import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const clearSource = readFileSync(new URL('../src/clear-callback-fragment.ts', import.meta.url), 'utf8');

describe('what the docs promise about the callback fragment', () => {
  it('the README says the browser’s on-disk history keeps the fragment, and recommends short token lifetimes', () => {
    const section = readme.slice(readme.indexOf('`clearCallbackFragment()`'));
    expect(section).toMatch(/on-disk history/);
    expect(readme).toMatch(/short[- ]lived tokens|short token lifetimes/);
    expect(readme).toMatch(/### What the implicit grant cannot protect/);
  });

  it('the JSDoc of clearCallbackFragment says so too, and no longer says it removes the token from the history', () => {
    expect(clearSource).toMatch(/on-disk history/);
    expect(clearSource).not.toMatch(/from the address bar and from the\s+\* browser's history/);
  });
});

describe('the README examples', () => {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const imports = blocks.flatMap((block) =>
    [...block.matchAll(/^import (?:\{([^}]*)\}|\* as \w+) from '([^']+)';$/gm)].map((match) => ({
      names: (match[1] ?? '')
        .split(',')
        .map((name) => name.trim().replace(/^type /, ''))
        .filter(Boolean),
      from: match[2] ?? '',
    })),
  );

  it('import only @grantkit/smithcart (and valibot for the user’s own schemas), so they run under pnpm', () => {
    expect(imports.length).toBeGreaterThan(5);
    const allowed = ['@grantkit/smithcart', '@grantkit/smithcart/testing', 'valibot'];
    expect(imports.map(({ from }) => from).filter((from) => !allowed.includes(from))).toEqual([]);
  });

  it('import names that the package exports', async () => {
    const entries: Record<string, Record<string, unknown>> = {
      '@grantkit/smithcart': await import('@grantkit/smithcart'),
      '@grantkit/smithcart/testing': await import('@grantkit/smithcart/testing'),
    };
    const missing = imports.flatMap(({ names, from }) =>
      entries[from] ? names.filter((name) => !(name in (entries[from] ?? {}))).map((name) => `${from}: ${name}`) : [],
    );
    expect(missing).toEqual([]);
  });
});
