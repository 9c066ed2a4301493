import { inspect } from 'node:util';
import { expect } from '@jest/globals';

/** Every way a log could show `value`: message, String(), JSON, inspect at any depth, stack, and each `cause`. */
export function viewsOf(value: unknown): string {
  const views: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
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
      views.push(inspect({ ...current }, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
      if (current instanceof AggregateError) views.push(...current.errors.map(viewsOf));
    }
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return views.join('\n');
}

/** The forms a secret can take once it went through a URL, a form body or a JSON string. */
function encodings(secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [
    secret,
    encodeURIComponent(secret),
    form,
    form.replace(/%[0-9A-F]{2}/g, (byte) => byte.toLowerCase()),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/** The secrets of `secrets` that occur anywhere in `text`, in any encoding. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => encodings(secret).some((form) => text.includes(form)));
}

/** Fails, naming the secret, when any secret shows up in any view of `value` or of its cause chain. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  for (const secret of secrets) expect(secret.length).toBeGreaterThan(7);
  expect(leakedSecrets(viewsOf(value), secrets)).toEqual([]);
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Everything written to process.stdout, process.stderr or the console while `run` runs. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const { stdout, stderr } = process;
  const originalOut = stdout.write;
  const originalErr = stderr.write;
  const originalConsole = CONSOLE_METHODS.map((method) => console[method]);
  const capture = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  stdout.write = capture as typeof stdout.write;
  stderr.write = capture as typeof stderr.write;
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      chunks.push(args.map((arg) => viewsOf(arg)).join(' '));
    };
  }
  try {
    const result = await run();
    return { result, output: chunks.join('\n') };
  } finally {
    stdout.write = originalOut;
    stderr.write = originalErr;
    CONSOLE_METHODS.forEach((method, index) => {
      console[method] = originalConsole[index] as (typeof console)[typeof method];
    });
  }
}

/** The rejection of `promise`; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}
