/** What a batch of concurrent calls came to: how many were answered, and the code of each failure. */
export interface CallResults {
  answered: number;
  failures: string[];
}

/** Makes `count` calls at once and waits for all of them; a failure is named by its `code`, else its name. */
export async function settleCalls(count: number, call: () => Promise<unknown>): Promise<CallResults> {
  const results = await Promise.allSettled(Array.from({ length: count }, call));
  const failures = results.flatMap((result) => {
    if (result.status === 'fulfilled') return [];
    const { code, name } = (result.reason ?? {}) as { code?: unknown; name?: unknown };
    return [typeof code === 'string' ? code : String(name)];
  });
  return { answered: count - failures.length, failures };
}

/** The results of several workers as one. */
export function addUpCalls(results: readonly CallResults[]): CallResults {
  return {
    answered: results.reduce((sum, result) => sum + result.answered, 0),
    failures: results.flatMap((result) => result.failures),
  };
}
