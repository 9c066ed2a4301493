import type { CommandContext } from './context.js';

/**
 * When the user is not signed in where they asked, but is signed in to the
 * other one (the mock with a real command, or the reverse), a sentence that
 * says so and how to reach it; otherwise `''`.
 */
export async function otherSessionHint(
  context: CommandContext,
  provider: 'smartconnect' | 'smithcart',
  label: string,
  action: string,
): Promise<string> {
  const other = context.mock ? provider : (`${provider}-mock` as const);
  if (!(await context.sessions.has(other))) return '';
  return context.mock
    ? ` You are signed in to the real ${label}; leave out --mock (and GRANTKIT_DEMO_MOCK) to ${action}.`
    : ` You are signed in to the ${label} mock; add --mock to ${action}.`;
}
