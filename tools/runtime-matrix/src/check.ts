// A dozen lines of assertions, since the suite runs where there is no jest.

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const shown = (value: unknown) => JSON.stringify(value);
  if (shown(actual) !== shown(expected)) throw new Error(`${what}: expected ${shown(expected)}, got ${shown(actual)}`);
}

/** Runs `run`, which must reject; returns what it rejected with. */
export async function rejection(run: () => unknown, what: string): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: expected a rejection, but it succeeded`);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
