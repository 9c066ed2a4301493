import { inspect } from 'node:util';
import { expect } from '@jest/globals';

/** Every view of an error a log could take: message, stack, JSON, inspect, and the same for each cause. */
function viewsOf(error: unknown): string[] {
  const views: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    views.push(inspect(current, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }));
    views.push(String(current));
    try {
      views.push(JSON.stringify(current) ?? '');
    } catch {
      views.push('(not serialisable)');
    }
    if (current instanceof Error) {
      views.push(current.message, current.stack ?? '');
      views.push(inspect({ ...current }, { depth: Number.POSITIVE_INFINITY }));
    }
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return views;
}

/** Fails when any secret shows up, raw, URL- or form-encoded or JSON-escaped, in any view of `error` or of its cause chain. */
export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const views = viewsOf(error).join('\n');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    expect(views.includes(secret)).toBe(false);
    expect(views.includes(encodeURIComponent(secret))).toBe(false);
    expect(views.includes(new URLSearchParams({ s: secret }).toString().slice(2))).toBe(false);
    expect(views.includes(JSON.stringify(secret).slice(1, -1))).toBe(false);
  }
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}
