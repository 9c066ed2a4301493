import { existsSync } from 'node:fs';
import puppeteer, { type Page } from 'puppeteer-core';
import type { TestBrowser, TestContext, TestPage } from './test-browser.js';

/** Debian's Firefox ESR, or the one `FIREFOX_PATH` names. */
const firefoxPath: string = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Firefox ESR through puppeteer-core over WebDriver BiDi (no browser download), headless. */
export async function launchFirefoxDriver(): Promise<TestBrowser> {
  if (!existsSync(firefoxPath)) {
    throw new Error(`No Firefox at ${firefoxPath}: \`pnpm test\` installs firefox-esr (apt-get), or set FIREFOX_PATH.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: process.env.E2E_HEADED !== '1',
    slowMo: Number(process.env.E2E_SLOWMO ?? 0) || 0,
    // puppeteer lets every page open windows; keep Firefox's popup blocker on, as in a user's browser.
    extraPrefsFirefox: { 'dom.disable_open_during_load': true },
    // A BiDi command Firefox never answers fails within the test, naming the command, not after puppeteer's 180 s.
    protocolTimeout: 20_000,
  });
  const version = (await browser.version()).replace(/^firefox\//, 'Firefox ');
  return {
    name: 'firefox',
    version,
    async newContext(): Promise<TestContext> {
      const context = await browser.createBrowserContext();
      const wrapped = new WeakMap<Page, TestPage>();
      const lines: string[] = [];
      const wrap = (page: Page): TestPage => {
        let testPage = wrapped.get(page);
        if (!testPage) {
          page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
          page.on('pageerror', (error) => lines.push(`pageerror: ${String(error)}`));
          testPage = firefoxPage(page);
          wrapped.set(page, testPage);
        }
        return testPage;
      };
      context.on('targetcreated', (target) => {
        void target.page().then((page) => page && wrap(page));
      });
      return {
        async newPage(url) {
          // Under load Firefox's BiDi can answer browsingContext.create with "no such frame" while a tab that
          // was just closed is torn down (seen in a clean-clone CI run); the tab is created on the second ask.
          const page = await context.newPage().catch(async (error: unknown) => {
            if (!String(error).includes('no such frame')) throw error;
            return context.newPage();
          });
          const testPage = wrap(page);
          await page.goto(url);
          return testPage;
        },
        pages: async () => (await context.pages()).map(wrap),
        consoleLines: () => lines,
        close: () => context.close(),
      };
    },
    crashed: async () => !browser.connected,
    close: () => browser.close(),
  };
}

function firefoxPage(page: Page): TestPage {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    click: (selector) => page.click(selector),
    close: () => page.close(),
    isClosed: async () => page.isClosed(),
    screenshot: async (path) => {
      await page.screenshot({ path: path as `${string}.png`, fullPage: true });
    },
  };
}
