import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectPageProblems, type FailureRecorder, launchChromium, recordFailures } from '@grantkit/browser-testing';
import { SMARTCONNECT_DEMO_USER } from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildBrowserBundle } from '../../src/build/browser-bundle.js';
import { readConfig } from '../../src/config.js';
import { type DemoServer, startDemoServer } from '../../src/start-demo-server.js';

const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const screenshots = `${artifacts}screenshots/`;
const TIMEOUT = 60_000;
jest.setTimeout(TIMEOUT);
// An event reaches the page over the open stream within milliseconds; a missing one fails this soon.
const LIVE = { timeout: 10_000 };

let publicDir: string;
let server: DemoServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorder: FailureRecorder;
/** Every response the browser got with status 400 or more, and every console error, in the current test. */
let failures: string[] = [];

beforeAll(async () => {
  // A folder of its own: browser.test.ts empties .e2e-artifacts/ when it starts, perhaps while this suite runs.
  publicDir = await mkdtemp(join(tmpdir(), 'demo-timeline-e2e-'));
  await buildBrowserBundle({ outdir: publicDir, fromSource: true });
  server = await startDemoServer({ config: readConfig({ HOST: '127.0.0.1', PORT: '0' }), publicDir, log: () => {} });
  browser = await launchChromium();
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(publicDir, { recursive: true, force: true });
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  recorder = recordFailures(context, artifacts);
  page = await context.newPage();
  failures = collectPageProblems(page);
});

afterEach(async () => {
  server.mocks?.smartconnect.mock.setTokenDelay(0);
  await recorder.finish();
  await context.close();
});

const timeline = () => page.getByTestId('smartconnect-timeline');

/** The timeline's lines, newest first, as `kind/reason`. */
function lines(): Promise<string[]> {
  return timeline()
    .locator('li')
    .evaluateAll((items) =>
      items.map((item) => [item.getAttribute('data-kind'), item.getAttribute('data-reason')].filter(Boolean).join('/')),
    );
}

/** Waits until the list has `count` lines more than `before` (at most 20), and returns the lines. */
async function afterNewLines(count: number, before: number): Promise<string[]> {
  await page.waitForFunction(
    (expected) => document.querySelectorAll('#smartconnect-timeline li').length === expected,
    Math.min(before + count, 20),
    LIVE,
  );
  return lines();
}

async function signIn(): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username', { exact: true }).fill(SMARTCONNECT_DEMO_USER.username);
  await page.getByLabel('Password', { exact: true }).fill(SMARTCONNECT_DEMO_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
  await timeline().waitFor();
  // The page's script marks the window, so that a reload (which would lose the mark) cannot pass for a live update.
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });
}

const stayedOnPage = () => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);

describe('the token timeline in a real browser', () => {
  it('shows the sign-in’s fetch, then a cache hit per call, then a renewal after a 401, live, without reloading', async () => {
    await signIn();
    // The sign-in fetched the token; loading the page used it twice (the token summary, the sample API).
    await expect(lines()).resolves.toEqual(['cache_hit', 'cache_hit', 'fetched/cold']);
    await expect(timeline().locator('li').last().textContent()).resolves.toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} Fetched a new token · no token yet \d+ ms$/,
    );

    await page.getByRole('button', { name: 'Call the API again' }).click();
    await expect(afterNewLines(1, 3)).resolves.toEqual(['cache_hit', 'cache_hit', 'cache_hit', 'fetched/cold']);
    await expect(page.getByTestId('smartconnect-sample').textContent()).resolves.toContain(
      '"displayName": "Demo User"',
    );

    // SmartConnect revokes the token: the next call gets a 401, looks at the cache again (the refused token is
    // still there), renews and resends.
    server.mocks?.smartconnect.mock.revokeAllTokens();
    await page.getByRole('button', { name: 'Call the API again' }).click();
    const renewed = await afterNewLines(4, 4);
    expect(renewed.slice(0, 4)).toEqual(['cache_hit', 'fetched/rejected', 'cache_hit', 'cache_hit']);
    await expect(timeline().locator('li[data-reason="rejected"] .what').textContent()).resolves.toBe(
      'Fetched a new token · renewal after a 401',
    );
    await expect(page.getByTestId('smartconnect-sample').textContent()).resolves.toContain(
      '"displayName": "Demo User"',
    );
    await expect(stayedOnPage()).resolves.toBe(true);
    expect(failures).toEqual([]);
    await screenshot('token-timeline');
  });

  it('shows single flight: two calls that need a new token at once send one token request, the other joins it', async () => {
    await signIn();
    const mock = server.mocks?.smartconnect.mock;
    mock?.revokeAllTokens();
    mock?.setTokenDelay(300);
    const before = mock?.stats.tokenRequests ?? 0;
    // Two calls from outside the page, with the browser's cookie: the page learns of them over its stream only.
    await Promise.all(
      [1, 2].map(() =>
        context.request.post(`${server.url}/smartconnect/call`, {
          headers: { origin: server.url, accept: 'application/json' },
        }),
      ),
    );
    expect((mock?.stats.tokenRequests ?? 0) - before).toBe(1);
    await page.waitForSelector('#smartconnect-timeline li[data-kind="coalesced"]', LIVE);
    const kinds = await lines();
    expect(kinds.filter((kind) => kind === 'fetched/rejected')).toHaveLength(1);
    // The second caller needs a token because of the same 401: its reason is `rejected` too.
    expect(kinds.filter((kind) => kind === 'coalesced/rejected')).toHaveLength(1);
    await expect(timeline().locator('li[data-kind="coalesced"] .what').textContent()).resolves.toMatch(
      /^Joined the token request already in flight \(single flight\) · /,
    );
    await expect(stayedOnPage()).resolves.toBe(true);
    expect(failures).toEqual([]);
    await screenshot('token-timeline-single-flight');
  });

  it('fits a 360 px wide screen, each line readable, without a horizontal scroll bar', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await signIn();
    server.mocks?.smartconnect.mock.revokeAllTokens();
    await page.getByRole('button', { name: 'Call the API again' }).click();
    await page.waitForSelector('#smartconnect-timeline li[data-reason="rejected"]', LIVE);
    await timeline().scrollIntoViewIfNeeded();
    await screenshot('token-timeline-360px');
    await expect(page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).resolves.toBe(false);
    const rights = await timeline()
      .locator('li')
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(360);
  });

  it('is an ordered list named by its heading, whose lines have a machine-readable time', async () => {
    await signIn();
    await expect(page.getByRole('list', { name: /Token events/ }).count()).resolves.toBe(1);
    const datetime = await timeline().locator('li time').first().getAttribute('datetime');
    expect(new Date(datetime ?? '').toISOString()).toBe(datetime);
  });
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}
