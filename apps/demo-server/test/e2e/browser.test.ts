import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { collectPageProblems, type FailureRecorder, launchChromium, recordFailures } from '@grantkit/browser-testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildBrowserBundle } from '../../src/build/browser-bundle.js';
import { readConfig } from '../../src/config.js';
import { type DemoServer, startDemoServer } from '../../src/start-demo-server.js';

const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const screenshots = `${artifacts}screenshots/`;
const TIMEOUT = 60_000;
// A browser flow takes a few seconds alone, and far more while `pnpm test` runs every suite on two cores.
jest.setTimeout(TIMEOUT);

let server: DemoServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorder: FailureRecorder;
const serverLog: string[] = [];
/** Every response the browser got with status 400 or more, and every console error, in the current test. */
let failures: string[] = [];

beforeAll(async () => {
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(screenshots, { recursive: true });
  await buildBrowserBundle({ outdir: `${artifacts}public`, fromSource: true });
  server = await startDemoServer({
    config: readConfig({ HOST: '127.0.0.1', PORT: '0' }),
    publicDir: `${artifacts}public`,
    log: (line) => serverLog.push(line),
  });
  browser = await launchChromium();
  console.log(`e2e screenshots: ${screenshots}; a failed test leaves its own under ${artifacts}failures/`);
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  recorder = recordFailures(context, artifacts);
  page = await context.newPage();
  failures = collectPageProblems(page);
});

afterEach(async () => {
  await recorder.finish();
  await context.close();
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

/** Everything the page's origin keeps in Web Storage and cookies, as one string. */
function storedEverywhere(tab: Page = page): Promise<string> {
  return tab.evaluate(() => {
    const dump = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, index) => {
        const key = storage.key(index) ?? '';
        return `${key}=${storage.getItem(key)}`;
      });
    return [...dump(sessionStorage), ...dump(localStorage), document.cookie].join('\n');
  });
}

/** Whether the page is wider than the viewport (a horizontal scroll bar). */
function overflows(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** Opens the demo, clicks Connect and waits for SmithCart's consent page. */
async function openConsentPage(): Promise<void> {
  await page.goto(server.url);
  await page.getByTestId('smithcart-connect').click();
  await page.waitForURL(`${server.smithcart.baseUrl}/oauth2/authorize?**`);
}

async function approve(untick: string[] = []): Promise<void> {
  await openConsentPage();
  for (const scope of untick) await page.locator(`input[name="scope"][value="${scope}"]`).uncheck();
  await page.locator('button[value="approve"]').click();
  await page.waitForURL(`${server.url}/`);
}

function orderIds(): Promise<string[]> {
  return page
    .locator('tr[data-order-id]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-id') ?? ''));
}

/** A second (third, …) tab of the same browser context, opened on the demo. */
async function openTab(): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(server.url);
  return tab;
}

/** The SmithCart consent pages `tab` opens from now on. */
function consentPagesOf(tab: Page): string[] {
  const visited: string[] = [];
  tab.on('framenavigated', (frame) => {
    if (frame === tab.mainFrame() && frame.url().startsWith(`${server.smithcart.baseUrl}/oauth2/authorize`)) {
      visited.push(frame.url());
    }
  });
  return visited;
}

// Another tab's answer comes over a BroadcastChannel within milliseconds; a missing answer fails this soon.
const OTHER_TAB = { timeout: 10_000 };

describe('the demo in a real browser', () => {
  async function signInToSmartConnect(password: string): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('Username', { exact: true }).fill('demo@example.com');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
  }

  it('runs both grants side by side in one tab, with no failed request and no console error', async () => {
    await signInToSmartConnect('demo-password');
    await approve(['delete']);
    await page.locator('tr[data-order-id="1"]').waitFor();
    await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe('Signed in as demo@example.com');
    await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('delete');
    // The favicon included: /favicon.ico used to be a 404 on every page.
    expect(failures.filter((line) => !line.includes(new URL(server.smithcart.baseUrl).host))).toEqual([]);
    await screenshot('both-panels');
  });

  it('fits a 360 px wide screen with both panels in use, without a horizontal scroll bar', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await signInToSmartConnect('demo-password');
    await approve();
    await page.locator('tr[data-order-id="1"]').waitFor();
    await screenshot('both-panels-360px');
    await expect(overflows()).resolves.toBe(false);
    const panels = await page
      .locator('.panel')
      .evaluateAll((all) => all.map((panel) => panel.getBoundingClientRect().right));
    for (const right of panels) expect(right).toBeLessThanOrEqual(360);
  });

  it('serves the bundle without a source map', async () => {
    const script = await (await fetch(`${server.url}/static/app.js`)).text();
    expect(script).not.toContain('sourceMappingURL');
    expect((await fetch(`${server.url}/static/app.js.map`)).status).toBe(404);
  });

  describe('SmartConnect panel', () => {
    it('signs in with the demo password and shows the token without its value, and the sample API answer', async () => {
      await signInToSmartConnect('demo-password');
      await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe(
        'Signed in as demo@example.com',
      );
      // SmartConnect grants no scope: the page does not show an empty `scope ""`.
      await expect(page.getByTestId('smartconnect-token').textContent()).resolves.toBe('bearer (value hidden)');
      await expect(page.locator('#smartconnect').textContent()).resolves.not.toContain('scope');
      await expect(page.getByTestId('smartconnect-sample').textContent()).resolves.toContain(
        '"displayName": "Demo User"',
      );
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'grantkit_demo_session', httpOnly: true, sameSite: 'Lax' });
      await expect(page.evaluate(() => document.cookie)).resolves.toBe('');
      expect(serverLog.join('\n')).not.toMatch(/demo-password|demo-client-secret|eyJ/);
      await screenshot('smartconnect-signed-in');
    });

    it('refuses a wrong password with a message on the home page, so a reload posts nothing again', async () => {
      await signInToSmartConnect('wrong-password');
      await expect(page.getByRole('alert').textContent()).resolves.toContain(
        'SmartConnect refused this username and password',
      );
      expect(page.url()).toBe(`${server.url}/`);
      await expect(page.getByLabel('Username', { exact: true }).inputValue()).resolves.toBe('demo@example.com');
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });
      await page.reload();
      expect(posts).toEqual([]);
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
      await expect(context.cookies()).resolves.toEqual([]);
      await screenshot('smartconnect-wrong-password');
    });

    it('says so after signing out', async () => {
      await signInToSmartConnect('demo-password');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByTestId('notice').waitFor();
      await expect(page.getByTestId('notice').textContent()).resolves.toBe(
        'Signed out: the server forgot your session and its SmartConnect token.',
      );
      await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
      await screenshot('smartconnect-signed-out');
    });
  });

  describe('SmithCart panel', () => {
    it('connects with full consent, removes the token from the address bar and lists the first page of orders', async () => {
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      await approve();
      await expect(page.getByTestId('smithcart-granted').textContent()).resolves.toBe('orderscreatedelete');
      await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('none');
      await page.locator('tr[data-order-id]').first().waitFor();
      await expect(orderIds()).resolves.toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      expect(visited.some((url) => url.startsWith(`${server.url}/smithcart/callback.html#access_token=`))).toBe(true);
      expect(page.url()).toBe(`${server.url}/`);
      await expect(page.evaluate(() => location.href)).resolves.not.toContain('access_token');
      expect(serverLog.join('\n')).not.toContain('access_token');
      await screenshot('smithcart-full-consent');
    });

    it('keeps the token in memory only: nothing in Web Storage, and a reload forgets it', async () => {
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      const callback = visited.find((url) => url.includes('#access_token=')) ?? '';
      const token = new URLSearchParams(new URL(callback).hash.slice(1)).get('access_token') as string;
      expect(token.length).toBeGreaterThan(10);
      await expect(storedEverywhere()).resolves.not.toContain(token);
      await page.reload();
      await page.getByTestId('smithcart-connect').waitFor();
      await expect(page.locator('tr[data-order-id]').count()).resolves.toBe(0);
    });

    it('pages forward and back, showing the total from X-Total-Count', async () => {
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      const next = page.getByRole('button', { name: 'Next →' });
      const previous = page.getByRole('button', { name: '← Previous' });
      await expect(previous.isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 1 of 3 · 30 orders');
      await next.click();
      await page.locator('tr[data-order-id="11"]').waitFor();
      await expect(orderIds()).resolves.toEqual(['11', '12', '13', '14', '15', '16', '17', '18', '19', '20']);
      await next.click();
      await page.locator('tr[data-order-id="21"]').waitFor();
      await expect(next.isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 3 of 3 · 30 orders');
      await previous.click();
      await page.locator('tr[data-order-id="11"]').waitFor();
      await expect(page.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 2 of 3 · 30 orders');
      await screenshot('smithcart-paging');
    });

    it('creates an order of 42.50 (201), shows it with its number on the last page, and deletes it (204) after asking', async () => {
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      await page.getByLabel('New order total (GBP)').fill('42.50');
      await page.getByRole('button', { name: 'Create order' }).click();
      const message = page.getByTestId('smithcart-message');
      await message.waitFor();
      const created = await message.textContent();
      expect(created).toMatch(
        /^Created order #(\d+), number WEB-\d{6} \(201 Created\) at \/users\/ada\/orders\/\1\.json\.$/,
      );
      const id = /#(\d+)/.exec(created ?? '')?.[1] as string;
      const orderNumber = /WEB-\d{6}/.exec(created ?? '')?.[0] as string;
      // The list moved to the last page, where the new order is.
      await page.getByTestId('smithcart-page').getByText('Page 4 of 4 · 31 orders').waitFor();
      const row = page.locator(`tr[data-order-id="${id}"]`);
      await expect(row.locator('td').nth(1).textContent()).resolves.toBe(orderNumber);
      await expect(row.locator('td.number').textContent()).resolves.toBe('£42.50');
      await screenshot('smithcart-created');

      await row.getByRole('button', { name: 'Delete' }).click();
      await expect(row.locator('td.actions').textContent()).resolves.toBe('Delete?YesKeep');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Keep');
      await row.getByRole('button', { name: 'Keep' }).click();
      await expect(row.getByRole('button', { name: 'Delete' }).isVisible()).resolves.toBe(true);
      await row.getByRole('button', { name: 'Delete' }).click();
      await screenshot('smithcart-delete-confirmation');
      await row.getByRole('button', { name: `Yes, delete order #${id}` }).click();
      await page.getByText(`Deleted order #${id} (204 No Content).`).waitFor();
      await page.getByTestId('smithcart-page').getByText('Page 3 of 3 · 30 orders').waitFor();
      await expect(page.locator(`tr[data-order-id="${id}"]`).count()).resolves.toBe(0);
    });

    it('with delete unticked, shows no Delete button', async () => {
      await approve(['delete']);
      await page.locator('tr[data-order-id="1"]').waitFor();
      await expect(page.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Create order' }).isVisible()).resolves.toBe(true);
    });

    it('with orders unticked, shows what was denied and the scope message instead of the orders', async () => {
      await approve(['orders']);
      await expect(page.getByTestId('smithcart-granted').textContent()).resolves.toBe('createdelete');
      await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('orders');
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Listing your orders needs the "orders" scope, which was not granted. Connect again and keep "orders" ticked.',
      );
      await expect(page.getByRole('button', { name: 'Connect again' }).isVisible()).resolves.toBe(true);
      await expect(page.locator('tr[data-order-id]').count()).resolves.toBe(0);
      await screenshot('smithcart-partial-consent');
    });

    it('with every scope unticked, shows that nothing was granted and everything denied', async () => {
      await approve(['orders', 'create', 'delete']);
      await expect(page.getByTestId('smithcart-granted').textContent()).resolves.toBe('none');
      await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('orderscreatedelete');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('needs the "orders" scope');
    });

    it('when the user denies, shows access_denied with a Connect button and stores nothing', async () => {
      await openConsentPage();
      await page.locator('button[value="deny"]').click();
      await page.waitForURL(`${server.url}/`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('(access_denied)');
      await expect(page.getByTestId('smithcart-connect').textContent()).resolves.toBe('Connect again');
      await expect(storedEverywhere()).resolves.not.toContain('access_token');
      await screenshot('smithcart-denied');
    });

    it('refuses a callback whose state was tampered with, without storing or using its token', async () => {
      await openConsentPage();
      const state = new URL(page.url()).searchParams.get('state') as string;
      const issued = server.mocks?.smithcart.mock.issueToken({ username: 'ada', scope: 'orders' });
      const apiRequests = server.mocks?.smithcart.mock.stats.apiRequests;
      const fragment = new URLSearchParams({
        access_token: issued?.access_token ?? '',
        token_type: 'bearer',
        expires_in: '3600',
        scope: 'orders',
        state: `${state}x`,
      });
      await page.goto(`${server.url}/smithcart/callback.html#${fragment}`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('(state mismatch)');
      expect(page.url()).toBe(`${server.url}/`);
      await expect(storedEverywhere()).resolves.not.toContain(issued?.access_token ?? 'no token');
      expect(server.mocks?.smithcart.mock.stats.apiRequests).toBe(apiRequests);
      await screenshot('smithcart-tampered-state');
    });

    it('when the token has expired, says so and offers the Connect button', async () => {
      await page.clock.install();
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      await page.clock.fastForward('01:01:00');
      await page.getByRole('button', { name: 'Next →' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Your SmithCart token has expired. The implicit grant has no refresh token: connect again.',
      );
      await expect(page.getByTestId('smithcart-connect').textContent()).resolves.toBe('Connect again');
      await screenshot('smithcart-expired-token');
      await page.getByTestId('smithcart-connect').click();
      await page.waitForURL(`${server.smithcart.baseUrl}/oauth2/authorize?**`);
    });
  });

  describe('SmithCart across tabs (one sign-in, in memory)', () => {
    it('connects every open tab when one tab connects: the other shows the same consent and lists the orders', async () => {
      const other = await openTab();
      const otherConsent = consentPagesOf(other);
      await other.getByTestId('smithcart-connect').waitFor();
      await approve(['delete']);
      await page.locator('tr[data-order-id="1"]').waitFor();
      await other.locator('tr[data-order-id="1"]').waitFor(OTHER_TAB);
      await expect(other.getByTestId('smithcart-granted').textContent()).resolves.toBe('orderscreate');
      await expect(other.getByTestId('smithcart-denied').textContent()).resolves.toBe('delete');
      await expect(other.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 1 of 3 · 30 orders');
      await expect(other.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);
      expect(otherConsent).toEqual([]);
      await other.screenshot({ path: `${screenshots}smithcart-second-tab.png`, fullPage: true });
    });

    it('disconnects every tab when one tab disconnects, and a tab opened afterwards is not connected', async () => {
      const other = await openTab();
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      await other.locator('tr[data-order-id="1"]').waitFor(OTHER_TAB);
      await other.getByRole('button', { name: 'Disconnect' }).click();
      await other.getByTestId('smithcart-connect').waitFor();
      await page.getByTestId('smithcart-connect').waitFor(OTHER_TAB);
      await expect(page.getByTestId('smithcart-message').textContent()).resolves.toBe(
        'Disconnected in every tab of the demo. SmithCart cannot revoke a token: it stays valid until it expires.',
      );
      await expect(page.locator('tr[data-order-id]').count()).resolves.toBe(0);
      await expect(other.locator('tr[data-order-id]').count()).resolves.toBe(0);
      const later = await openTab();
      await later.getByTestId('smithcart-connect').waitFor();
      // Longer than a new tab waits for the others' answer: no tab still holds the token.
      await later.waitForTimeout(1_000);
      await expect(later.getByTestId('smithcart-connect').isVisible()).resolves.toBe(true);
      await expect(later.locator('tr[data-order-id]').count()).resolves.toBe(0);
      await screenshot('smithcart-disconnected-everywhere');
    });

    it('connects a tab opened later at once, without a consent page, and stores the token nowhere', async () => {
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      const callback = visited.find((url) => url.includes('#access_token=')) ?? '';
      const token = new URLSearchParams(new URL(callback).hash.slice(1)).get('access_token') as string;
      const second = await openTab();
      await second.locator('tr[data-order-id="1"]').waitFor(OTHER_TAB);
      const third = await context.newPage();
      const thirdConsent = consentPagesOf(third);
      await third.goto(server.url);
      await third.locator('tr[data-order-id="1"]').waitFor(OTHER_TAB);
      await expect(third.getByTestId('smithcart-granted').textContent()).resolves.toBe('orderscreatedelete');
      expect(thirdConsent).toEqual([]);
      expect(third.url()).toBe(`${server.url}/`);
      for (const tab of [page, second, third]) await expect(storedEverywhere(tab)).resolves.not.toContain(token);
    });

    it('when two tabs click Connect, opens one consent page and the other tab waits for its answer', async () => {
      const other = await openTab();
      const otherConsent = consentPagesOf(other);
      await openConsentPage();
      await other.getByTestId('smithcart-connect').click();
      await other.getByText('Waiting for SmithCart', { exact: false }).waitFor(OTHER_TAB);
      await page.locator('button[value="approve"]').click();
      await page.waitForURL(`${server.url}/`);
      await other.locator('tr[data-order-id="1"]').waitFor(OTHER_TAB);
      expect(otherConsent).toEqual([]);
      expect(other.url()).toBe(`${server.url}/`);
    });

    it('when the tab on the consent page denies, the waiting tab says so too', async () => {
      const other = await openTab();
      await openConsentPage();
      await other.getByTestId('smithcart-connect').click();
      await other.getByText('Waiting for SmithCart', { exact: false }).waitFor(OTHER_TAB);
      await page.locator('button[value="deny"]').click();
      await page.waitForURL(`${server.url}/`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('(access_denied)');
      await other.getByRole('alert').waitFor(OTHER_TAB);
      await expect(other.getByRole('alert').textContent()).resolves.toContain('(access_denied)');
      await expect(other.getByTestId('smithcart-connect').isVisible()).resolves.toBe(true);
    });
  });

  describe('the SmithCart consent page (the mock of @grantkit/smithcart/testing)', () => {
    it('is styled under its strict CSP, names SmithCart, and keeps its buttons big enough to tap', async () => {
      const violations: string[] = [];
      page.on('console', (entry) => {
        if (/Content Security Policy/i.test(entry.text())) violations.push(entry.text());
      });
      await openConsentPage();
      await expect(page.locator('header').textContent()).resolves.toBe('SmithCart');
      await expect(page.title()).resolves.toContain('SmithCart');
      const style = await page.evaluate(() => {
        const approve = document.querySelector('button[value="approve"]') as HTMLElement;
        const box = approve.getBoundingClientRect();
        return {
          font: getComputedStyle(document.body).fontFamily,
          approveBackground: getComputedStyle(approve).backgroundColor,
          height: box.height,
        };
      });
      expect(style.font).toMatch(/system-ui/);
      expect(style.approveBackground).toBe('rgb(138, 44, 13)');
      expect(style.height).toBeGreaterThanOrEqual(40);
      const csp = (await page.request.get(page.url())).headers()['content-security-policy'] ?? '';
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*';/);
      expect(csp).not.toContain('unsafe-inline');
      expect(violations).toEqual([]);
      await screenshot('smithcart-consent-page');
      await page.setViewportSize({ width: 360, height: 780 });
      await expect(overflows()).resolves.toBe(false);
      await screenshot('smithcart-consent-page-360px');
    });
  });
});
