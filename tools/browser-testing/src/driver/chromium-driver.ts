import type { Page } from 'playwright-core';
import { launchChromium } from '../index.js';
import type { TestBrowser, TestContext, TestPage } from './test-browser.js';

/** Debian's Chromium through playwright-core (CDP), with its popup blocker on, as in a user's browser. */
export async function launchChromiumDriver(): Promise<TestBrowser> {
  const browser = await launchChromium({ ignoreDefaultArgs: ['--disable-popup-blocking'] });
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    async newContext(): Promise<TestContext> {
      const context = await browser.newContext();
      const wrapped = new WeakMap<Page, TestPage>();
      const lines: string[] = [];
      const wrap = (page: Page): TestPage => {
        let testPage = wrapped.get(page);
        if (!testPage) {
          testPage = chromiumPage(page);
          wrapped.set(page, testPage);
        }
        return testPage;
      };
      context.on('page', (page) => {
        wrap(page);
        page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
        page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
      });
      return {
        async newPage(url) {
          const page = await context.newPage();
          await page.goto(url);
          return wrap(page);
        },
        pages: async () => context.pages().map(wrap),
        consoleLines: () => lines,
        close: () => context.close(),
      };
    },
    crashed: async () => !browser.isConnected(),
    close: () => browser.close(),
  };
}

function chromiumPage(page: Page): TestPage {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn as never, arg),
    click: (selector) => page.click(selector, { noWaitAfter: true }),
    close: () => page.close(),
    isClosed: async () => page.isClosed(),
    screenshot: async (path) => {
      await page.screenshot({ path, fullPage: true });
    },
  };
}
