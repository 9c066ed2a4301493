import { launchChromiumDriver } from './chromium-driver.js';
import { launchFirefoxDriver } from './firefox-driver.js';
import type { BrowserName, TestBrowser } from './test-browser.js';
import { launchWebKitDriver } from './webkit-driver.js';

const drivers: Record<BrowserName, () => Promise<TestBrowser>> = {
  chromium: launchChromiumDriver,
  firefox: launchFirefoxDriver,
  webkit: launchWebKitDriver,
};

/**
 * Launches `name` behind the browser-neutral {@link TestBrowser}, so a scenario is written once and run in
 * each browser. When the browser process dies, the next `newContext()` launches it again, so one crash of the
 * browser fails one test, not every test after it.
 *
 * @example
 * ```ts
 * describe.each(browserNames)('in %s', (name) => {
 *   let browser: TestBrowser;
 *   beforeAll(async () => { browser = await launchBrowser(name); });
 * });
 * ```
 */
export async function launchBrowser(name: BrowserName): Promise<TestBrowser> {
  const launch = drivers[name];
  let current = await launch();
  return {
    name,
    get version() {
      return current.version;
    },
    async newContext() {
      if (await current.crashed()) {
        await current.close().catch(() => undefined);
        current = await launch();
      }
      const browser = current;
      const context = await browser.newContext();
      // A context of a browser that died has nothing left to close: that is the crash, not a second failure.
      const close = () =>
        context.close().catch(async (error: unknown) => {
          if (!(await browser.crashed())) throw error;
        });
      return { ...context, close };
    },
    crashed: () => current.crashed(),
    close: () => current.close(),
  };
}
