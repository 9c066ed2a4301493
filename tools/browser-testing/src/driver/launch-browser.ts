import { launchChromiumDriver } from './chromium-driver.js';
import { launchFirefoxDriver } from './firefox-driver.js';
import type { BrowserName, TestBrowser } from './test-browser.js';
import { launchWebKitDriver } from './webkit-driver.js';

/**
 * Launches `name` behind the browser-neutral {@link TestBrowser}, so a scenario is written once and run in
 * each browser.
 *
 * @example
 * ```ts
 * describe.each(browserNames)('in %s', (name) => {
 *   let browser: TestBrowser;
 *   beforeAll(async () => { browser = await launchBrowser(name); });
 * });
 * ```
 */
export function launchBrowser(name: BrowserName): Promise<TestBrowser> {
  if (name === 'firefox') return launchFirefoxDriver();
  if (name === 'webkit') return launchWebKitDriver();
  return launchChromiumDriver();
}
