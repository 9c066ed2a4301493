import { afterAll, beforeAll, expect } from '@jest/globals';

/**
 * Records every unhandled promise rejection while the suite runs and fails the
 * suite when there was any. Call once at the top of a test file.
 */
export function failOnUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => {
    unhandled.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', listener);
  });
  afterAll(async () => {
    // Rejections are reported after a macrotask; let any late one arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', listener);
    expect(unhandled.map(String)).toEqual([]);
  });
}
