// The demo's SmithCart redirect flow in each browser the library is tested in: Chromium, Firefox ESR, WebKitGTK.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserName,
  browserNames,
  type FailureRecorder,
  itSurvivingBrowserCrash,
  launchBrowser,
  recordContextFailures,
  type TestBrowser,
  type TestContext,
  type TestPage,
  waitForUrl,
  waitUntil,
} from '@grantkit/browser-testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, jest } from '@jest/globals';
import { buildBrowserBundle } from '../../src/build/browser-bundle.js';
import { readConfig } from '../../src/config.js';
import { type DemoServer, startDemoServer } from '../../src/start-demo-server.js';

const TIMEOUT = 60_000;
jest.setTimeout(TIMEOUT);
const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));

let server: DemoServer;
let publicDir: string;

beforeAll(async () => {
  // A folder of its own: browser.test.ts empties .e2e-artifacts/ when it starts, perhaps while this suite runs.
  publicDir = await mkdtemp(join(tmpdir(), 'demo-every-browser-e2e-'));
  await buildBrowserBundle({ outdir: publicDir, fromSource: true });
  server = await startDemoServer({
    config: readConfig({ HOST: '127.0.0.1', PORT: '0' }),
    publicDir,
    log: () => undefined,
  });
}, TIMEOUT);

afterAll(async () => {
  await server?.close();
  await rm(publicDir, { recursive: true, force: true });
});

describe.each(browserNames)('the demo in %s', (name: BrowserName) => {
  let browser: TestBrowser;
  let context: TestContext;
  let recorder: FailureRecorder;

  beforeAll(async () => {
    browser = await launchBrowser(name);
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

  const shown = (page: TestPage, selector: string) =>
    waitUntil(() => page.evaluate((selector) => document.querySelector(selector) !== null, selector), selector);
  const textOf = (page: TestPage, testId: string) =>
    page.evaluate((testId) => document.querySelector(`[data-testid="${testId}"]`)?.textContent, testId);

  async function openConsentPage(page: TestPage): Promise<void> {
    await shown(page, '[data-testid="smithcart-connect"]');
    await page.click('[data-testid="smithcart-connect"]');
    await waitForUrl(page, `${server.smithcart.baseUrl}/oauth2/authorize?`);
  }

  itInBrowser(
    'connects through the redirect flow with partial consent, lists the orders and shares them with a second tab',
    async () => {
      const page = await context.newPage(server.url);
      await openConsentPage(page);
      await page.click('input[name="scope"][value="delete"]');
      await page.click('button[value="approve"]');
      await waitUntil(async () => (await page.url()) === `${server.url}/`, 'the way back to the demo');
      await shown(page, 'tr[data-order-id="1"]');
      await expect(textOf(page, 'smithcart-granted')).resolves.toBe('orderscreate');
      await expect(textOf(page, 'smithcart-denied')).resolves.toBe('delete');
      await expect(page.evaluate(() => location.href)).resolves.not.toContain('access_token');
      const other = await context.newPage(server.url);
      await shown(other, 'tr[data-order-id="1"]');
      await expect(other.url()).resolves.toBe(`${server.url}/`);
    },
  );

  itInBrowser('shows access_denied and a Connect button when the user denies', async () => {
    const page = await context.newPage(server.url);
    await openConsentPage(page);
    await page.click('button[value="deny"]');
    await waitUntil(async () => (await page.url()) === `${server.url}/`, 'the way back to the demo');
    await shown(page, '[role="alert"]');
    await expect(page.evaluate(() => document.querySelector('[role="alert"]')?.textContent)).resolves.toContain(
      '(access_denied)',
    );
    await expect(textOf(page, 'smithcart-connect')).resolves.toBe('Connect again');
  });
});
