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
