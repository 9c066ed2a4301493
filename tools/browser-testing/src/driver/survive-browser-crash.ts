import { it } from '@jest/globals';
import type { TestBrowser } from './test-browser.js';

/**
 * Runs `scenario`; when it failed because the browser process itself died, says so on stderr, calls `reopen`
 * (which takes a new context, in a relaunched browser) and runs the scenario once more. A failure of the
 * scenario with the browser still up is never retried, and neither is a second crash.
 *
 * Why: WebKitGTK 2.50's MiniBrowser has segfaulted in its UI process (libwebkit2gtk, seen once in a clean-clone
 * CI run under load), which is a fault of the browser under the test, not of what the test checks.
 *
 * @example
 * ```ts
 * it('signs in', () => surviveBrowserCrash(browser, scenario, async () => { context = await browser.newContext(); }));
 * ```
 */
export async function surviveBrowserCrash(
  browser: TestBrowser,
  scenario: () => Promise<void>,
  reopen: () => Promise<void>,
): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    if (!(await browser.crashed())) throw error;
    process.stderr.write(
      `e2e: ${browser.version} crashed during the test (${String(error).split('\n')[0]}); running it once more in a relaunched browser\n`,
    );
    await reopen();
    await scenario();
  }
}

/**
 * jest's `it` for a scenario in `browser()`, run through {@link surviveBrowserCrash} with twice `timeoutMs`,
 * as a crash runs the scenario once more.
 *
 * @example
 * ```ts
 * const itInBrowser = itSurvivingBrowserCrash(() => browser, async () => { context = await browser.newContext(); }, 60_000);
 * itInBrowser('signs in', async () => { … });
 * ```
 */
export function itSurvivingBrowserCrash(
  browser: () => TestBrowser,
  reopen: () => Promise<void>,
  timeoutMs: number,
): (title: string, scenario: () => Promise<void>) => void {
  return (title, scenario) => it(title, () => surviveBrowserCrash(browser(), scenario, reopen), 2 * timeoutMs);
}
