import { fileURLToPath } from 'node:url';
import { type FailureRecorder, launchChromium, recordFailures } from '@grantkit/browser-testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './test-app.js';

const TIMEOUT = 60_000;
const WAIT = 10_000;
const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const GRANTED = 'private orders';

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let recorder: FailureRecorder;

beforeAll(async () => {
  app = await startTestApp();
  browser = await launchChromium({
    // Playwright turns the popup blocker off; keep it on, as in a user's browser: popups need a click.
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await app?.server.close();
});

beforeEach(async () => {
  context = await browser.newContext();
  recorder = recordFailures(context, artifacts);
});

afterEach(async () => {
  await recorder.finish();
  await context.close();
});

/** A new tab of the test app, once its session has settled. */
async function openTab(flow: 'popup' | 'redirect', query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.server.url}/app.html?flow=${flow}${query}`);
  await page.waitForSelector('#status[data-ready]', { timeout: WAIT });
  return page;
}

async function textOf(page: Page, id: 'status' | 'result', expected: string): Promise<void> {
  await page
    .waitForFunction(([id, text]) => document.getElementById(id)?.textContent === text, [id, expected] as const, {
      timeout: WAIT,
    })
    .catch(async () => {
      throw new Error(`#${id} is "${await page.locator(`#${id}`).textContent()}", not "${expected}"`);
    });
}

/** Clicks `selector` in `page` and returns the popup it opens, on SmithCart's consent page. */
async function popupFrom(page: Page, selector: string): Promise<Page> {
  const [popup] = await Promise.all([context.waitForEvent('page', { timeout: WAIT }), page.click(selector)]);
  await popup.waitForURL('**/oauth2/authorize?**', { timeout: WAIT });
  return popup;
}

/** The grantkit:callback events the page's subscribe() listener received. */
const callbackEventsOf = (page: Page) =>
  page.evaluate(() => (globalThis as never as { e2e: { callbackEvents: unknown[] } }).e2e.callbackEvents);

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The scenarios every browser must pass are in every-browser.test.ts; these look closer, in Chromium.
describe('createSmithCartSession in Chromium (several tabs of one browser)', () => {
  it(
    'opens exactly one consent page when three tabs click Connect at once, and all three get its token',
    async () => {
      const before = app.consentPages();
      const tabs = [await openTab('popup'), await openTab('popup'), await openTab('popup')];
      const popups: Page[] = [];
      context.on('page', (page) => popups.push(page));
      await Promise.all(tabs.map((tab) => tab.click('#connect')));
      await until(() => app.consentPages() - before === 1, 'the consent page');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(app.consentPages() - before).toBe(1);
      // Each click opens its popup at once (WebKit allows none later); only the authorizing tab's shows SmithCart.
      const consent = popups.filter((popup) => popup.url().includes('/oauth2/authorize'));
      expect(consent).toHaveLength(1);
      await (consent[0] as Page).click('button[value="approve"]');
      for (const tab of tabs) await textOf(tab, 'result', `token: ${GRANTED}`);
      await until(() => popups.every((popup) => popup.isClosed()), 'every popup to close');
      expect(app.consentPages() - before).toBe(1);
    },
    TIMEOUT,
  );

  it(
    'lets exactly one tab authorize again once the shared token has expired',
    async () => {
      // The mock's tokens last 3,600 s; a skew of 3,597 s makes them expire 3 s after they are issued.
      const skew = '&skew=3597000';
      const tabs = [await openTab('redirect', skew), await openTab('redirect', skew), await openTab('redirect', skew)];
      const first = tabs[0] as Page;
      await first.click('#connect');
      await first.waitForURL('**/oauth2/authorize?**', { timeout: WAIT });
      await first.click('button[value="approve"]');
      await first.waitForURL('**/app.html?flow=redirect*', { timeout: WAIT });
      for (const tab of tabs) await textOf(tab, 'status', `signed in: ${GRANTED}`);
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const before = app.consentPages();
      await Promise.all(tabs.map((tab) => tab.click('#connect', { noWaitAfter: true })));
      await until(() => app.consentPages() - before === 1, 'the consent page');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(app.consentPages() - before).toBe(1);
      expect(tabs.filter((tab) => tab.url().includes('/oauth2/authorize'))).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    'gives the waiting tabs the error when the one authorizing tab is denied',
    async () => {
      const tabs = [await openTab('popup'), await openTab('popup')];
      const waiting = tabs[1] as Page;
      const popup = await popupFrom(tabs[0] as Page, '#connect');
      await waiting.click('#connect');
      await popup.click('button[value="deny"]');
      await textOf(tabs[0] as Page, 'result', 'error: oauth_error access_denied');
      await textOf(waiting, 'result', 'error: oauth_error access_denied');
    },
    TIMEOUT,
  );
});

describe('authorizeInPopup in Chromium', () => {
  it(
    'hands the token back to the app when the user approves, closes the popup, and publishes the callback event',
    async () => {
      const page = await openTab('popup');
      const popup = await popupFrom(page, '#popup');
      await popup.locator('input[name="scope"][value="orders"]').uncheck();
      await popup.click('button[value="approve"]');
      await textOf(page, 'result', 'granted: private | denied: orders');
      await until(() => popup.isClosed(), 'the popup to close');
      expect(page.url()).toBe(`${app.server.url}/app.html?flow=popup`);
      expect(await callbackEventsOf(page)).toEqual([
        { channel: 'grantkit:callback', outcome: 'granted', granted: 1, denied: 1 },
      ]);
    },
    TIMEOUT,
  );

  it(
    'fails with OAuthError access_denied when the user denies, published as a callback error event',
    async () => {
      const page = await openTab('popup');
      const popup = await popupFrom(page, '#popup');
      await popup.click('button[value="deny"]');
      await textOf(page, 'result', 'error: oauth_error access_denied');
      await until(() => popup.isClosed(), 'the popup to close');
      expect(await callbackEventsOf(page)).toEqual([
        { channel: 'grantkit:callback', outcome: 'error', errorCode: 'oauth_error' },
      ]);
    },
    TIMEOUT,
  );

  it(
    'fails with TimeoutError and closes the popup when no callback comes in time',
    async () => {
      const page = await context.newPage();
      await page.goto(`${app.server.url}/app.html?flow=popup&timeout=1500`);
      await page.waitForSelector('#status[data-ready]', { timeout: WAIT });
      const popup = await popupFrom(page, '#popup');
      await textOf(page, 'result', 'error: timeout');
      await until(() => popup.isClosed(), 'the popup to close');
    },
    TIMEOUT,
  );
});
