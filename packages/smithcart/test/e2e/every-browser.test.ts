// The session and popup flows that must hold in each browser, written once: Chromium, Firefox ESR, WebKitGTK.
import { fileURLToPath } from 'node:url';
import {
  type BrowserName,
  browserNames,
  type FailureRecorder,
  itSurvivingBrowserCrash,
  launchBrowser,
  pageOpenedBy,
  recordContextFailures,
  type TestBrowser,
  type TestContext,
  type TestPage,
  waitForUrl,
  waitUntil,
} from '@grantkit/browser-testing';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest } from '@jest/globals';
import { startTestApp, type TestApp } from './test-app.js';

const TIMEOUT = 60_000;
jest.setTimeout(TIMEOUT);
const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const GRANTED = 'private orders';

let app: TestApp;
/** Another origin, whose page opens the app from a click and so holds a reference to its window. */
let forger: ServedHandler;

beforeAll(async () => {
  app = await startTestApp();
  forger = await serveFetchHandler(
    () =>
      new Response(
        `<!doctype html><title>another origin</title><button id="open-app">Open</button>
<script>document.getElementById('open-app').onclick = () => { window.app = window.open(new URLSearchParams(location.search).get('app')); };</script>`,
        { headers: { 'content-type': 'text/html' } },
      ),
  );
}, TIMEOUT);

afterAll(async () => {
  await forger?.close();
  await app?.server.close();
});

describe.each(browserNames)('in %s', (name: BrowserName) => {
  let browser: TestBrowser;
  let context: TestContext;
  let recorder: FailureRecorder;

  beforeAll(async () => {
    browser = await launchBrowser(name);
    process.stderr.write(`e2e browser: ${browser.version}\n`);
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh context whose failures are recorded: before each test, and again after a crash of the browser. */
  async function openContext(): Promise<void> {
    context = await browser.newContext();
    recorder = recordContextFailures(context, artifacts);
  }

  beforeEach(openContext);

  afterEach(async () => {
    await recorder.finish();
    await context.close();
  });

  /** `it`, except that a crash of the browser itself (never a failed check) runs the test once more, relaunched. */
  const itInBrowser = itSurvivingBrowserCrash(() => browser, openContext, TIMEOUT);

  /** A new tab of the test app, once its session has settled. */
  async function openTab(query: string): Promise<TestPage> {
    const page = await context.newPage(`${app.server.url}/app.html?${query}`);
    await waitUntil(() => page.evaluate(() => document.querySelector('#status[data-ready]') !== null), 'the app');
    return page;
  }

  async function textOf(page: TestPage, id: 'status' | 'result', expected: string): Promise<void> {
    const read = () => page.evaluate((id) => document.getElementById(id)?.textContent ?? '', id);
    await waitUntil(async () => (await read()) === expected, `#${id} "${expected}"`).catch(async () => {
      throw new Error(`#${id} is "${await read()}", not "${expected}"`);
    });
  }

  /** Clicks `selector` in `page` and returns the popup it opens, on SmithCart's consent page. */
  async function popupFrom(page: TestPage, selector: '#connect' | '#popup'): Promise<TestPage> {
    const popup = await pageOpenedBy(context, () => page.click(selector));
    await waitForUrl(popup, '/oauth2/authorize?');
    return popup;
  }

  /**
   * Approves on the consent page in `popup` and waits for the popup to close itself, as a user's next tab comes
   * after it. A tab opened while the popup closes can leave Firefox's BiDi `browsingContext.create` unanswered
   * (seen under load, in a clean-clone CI run and here with the CPUs busy).
   */
  async function approveIn(popup: TestPage): Promise<void> {
    await popup.click('button[value="approve"]');
    await waitUntil(() => popup.isClosed(), 'the popup to close');
  }

  /** Clicks `selector` in every tab at the same instant (a timer in each page), as a driver's clicks come one by one. */
  async function clickTogether(tabs: TestPage[], selector: string): Promise<void> {
    const at = Date.now() + 750;
    for (const tab of tabs) {
      await tab.evaluate(
        ({ selector, at }) => {
          setTimeout(() => (document.querySelector(selector) as HTMLElement).click(), at - Date.now());
        },
        { selector, at },
      );
    }
  }

  describe('createSmithCartSession (several tabs of one browser)', () => {
    itInBrowser('shares one sign-in between two open tabs, and with a third opened later', async () => {
      const before = app.consentPages();
      const first = await openTab('flow=popup');
      const second = await openTab('flow=popup');
      await textOf(second, 'status', 'signed out');
      await approveIn(await popupFrom(first, '#connect'));
      await textOf(first, 'status', `signed in: ${GRANTED}`);
      await textOf(second, 'status', `signed in: ${GRANTED}`);
      const third = await openTab('flow=popup');
      await textOf(third, 'status', `signed in: ${GRANTED}`);
      await expect(
        third.evaluate(() => (globalThis as never as { e2e: { getToken(): Promise<string> } }).e2e.getToken()),
      ).resolves.toBe(`token: ${GRANTED}`);
      expect(app.consentPages() - before).toBe(1);
    });

    itInBrowser('signs every tab out when one signs out, and a tab opened afterwards is signed out', async () => {
      const first = await openTab('flow=popup');
      await approveIn(await popupFrom(first, '#connect'));
      const second = await openTab('flow=popup');
      const third = await openTab('flow=popup');
      for (const tab of [first, second, third]) await textOf(tab, 'status', `signed in: ${GRANTED}`);
      await second.click('#signout');
      for (const tab of [first, second, third]) await textOf(tab, 'status', 'signed out');
      const fourth = await openTab('flow=popup');
      await textOf(fourth, 'status', 'signed out');
    });

    describe.each([
      ['with the Web Locks API', ''],
      ['without the Web Locks API (BroadcastChannel election)', '&no-locks'],
    ])('%s', (_name, locks) => {
      itInBrowser(
        'opens exactly one consent page when three tabs need a token at once, and all three get it',
        async () => {
          const before = app.consentPages();
          const tabs = [
            await openTab(`flow=redirect${locks}`),
            await openTab(`flow=redirect${locks}`),
            await openTab(`flow=redirect${locks}`),
          ];
          // Each of the three browsers has Web Locks on 127.0.0.1 (a secure context); ?no-locks hides them.
          await expect(tabs[0]?.evaluate(() => navigator.locks === undefined)).resolves.toBe(locks !== '');
          await clickTogether(tabs, '#connect');
          await waitUntil(() => app.consentPages() - before === 1, 'the consent page');
          // Time enough for a second tab to start another authorization, if it were going to.
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          expect(app.consentPages() - before).toBe(1);
          const leaders: TestPage[] = [];
          for (const tab of tabs) if ((await tab.url()).includes('/oauth2/authorize')) leaders.push(tab);
          expect(leaders).toHaveLength(1);
          const leader = leaders[0] as TestPage;
          await leader.click('button[value="approve"]');
          await waitUntil(async () => (await leader.url()).endsWith('/app.html?flow=redirect'), 'the way back');
          for (const tab of tabs) await textOf(tab, 'status', `signed in: ${GRANTED}`);
          for (const tab of tabs.filter((tab) => tab !== leader)) await textOf(tab, 'result', `token: ${GRANTED}`);
          expect(app.consentPages() - before).toBe(1);
        },
      );
    });
  });

  describe('authorizeInPopup', () => {
    itInBrowser('hands the token back to the app when the user approves, and the popup closes', async () => {
      const page = await openTab('flow=popup');
      const popup = await popupFrom(page, '#popup');
      await popup.click('input[name="scope"][value="orders"]');
      await popup.click('button[value="approve"]');
      await textOf(page, 'result', 'granted: private | denied: orders');
      await waitUntil(() => popup.isClosed(), 'the popup to close');
      await expect(page.url()).resolves.toBe(`${app.server.url}/app.html?flow=popup`);
    });

    itInBrowser('fails with OAuthError access_denied when the user denies', async () => {
      const page = await openTab('flow=popup');
      const popup = await popupFrom(page, '#popup');
      await popup.click('button[value="deny"]');
      await textOf(page, 'result', 'error: oauth_error access_denied');
      await waitUntil(() => popup.isClosed(), 'the popup to close');
    });

    itInBrowser(
      'fails with PopupBlockedError when the browser blocks the popup (not opened from a click)',
      async () => {
        const page = await context.newPage(`${app.server.url}/app.html?flow=popup&popup-at-load&timeout=5000`);
        await textOf(page, 'result', 'error: popup_blocked');
        await expect(context.pages()).resolves.toHaveLength(1);
      },
    );

    itInBrowser('fails with PopupClosedError when the user closes the popup', async () => {
      const page = await openTab('flow=popup');
      const popup = await popupFrom(page, '#popup');
      await popup.close();
      await textOf(page, 'result', 'error: popup_closed');
    });

    itInBrowser('ignores a forged postMessage from another origin, then completes with the real callback', async () => {
      const attacker = await context.newPage(
        `${forger.url}/?app=${encodeURIComponent(`${app.server.url}/app.html?flow=popup`)}`,
      );
      const page = await pageOpenedBy(context, () => attacker.click('#open-app'));
      await waitUntil(() => page.evaluate(() => document.querySelector('#status[data-ready]') !== null), 'the app');
      const popup = await popupFrom(page, '#popup');
      await attacker.evaluate((origin) => {
        const forged = {
          type: 'grantkit.smithcart.popup-callback',
          href: `${origin}/popup-callback.html#access_token=forged-token&token_type=bearer&expires_in=3600&state=forged`,
        };
        (globalThis as never as { app: Window }).app.postMessage(forged, '*');
      }, app.server.url);
      const seen = () => page.evaluate(() => (globalThis as never as { e2e: { seen: string[] } }).e2e.seen);
      await waitUntil(async () => (await seen()).length > 0, 'the forged message to arrive');
      await expect(seen()).resolves.toEqual([forger.url]);
      await expect(page.evaluate(() => document.getElementById('result')?.textContent)).resolves.toBe('waiting');
      await popup.click('button[value="approve"]');
      await textOf(page, 'result', `granted: ${GRANTED} | denied: `);
    });
  });
});
