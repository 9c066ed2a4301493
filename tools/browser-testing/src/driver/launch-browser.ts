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
 * browser fails one test, not every test after it. Once `close()` is called the browser stays closed: it is
 * not a crash, and a test still running past its timeout gets an error instead of a browser nobody would close.
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
  /** The relaunch under way, if any: `close()` closes what it starts. */
  let relaunch: Promise<TestBrowser> | undefined;
  let closed = false;
  const refuseWhenClosed = () => {
    if (closed) throw new Error(`${name} was closed: no new context after close() (a test that outlived its timeout?)`);
  };
  return {
    name,
    get version() {
      return current.version;
    },
    async newContext() {
      refuseWhenClosed();
      if (await current.crashed()) {
        await current.close().catch(() => undefined);
        refuseWhenClosed();
        relaunch = launch();
        current = await relaunch;
        relaunch = undefined;
        refuseWhenClosed();
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
    crashed: async () => !closed && (await current.crashed()),
    async close() {
      closed = true;
      // During a relaunch, `current` is the dead browser (closed already): close the one being launched.
      await (relaunch
        ? relaunch.then(
            (relaunched) => relaunched.close(),
            () => undefined,
          )
        : current.close());
    },
  };
}
