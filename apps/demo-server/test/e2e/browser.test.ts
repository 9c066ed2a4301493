import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildBrowserBundle } from '../../src/build/browser-bundle.js';
import { readConfig } from '../../src/config.js';
import { type DemoServer, startDemoServer } from '../../src/start-demo-server.js';

const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const screenshots = `${artifacts}screenshots/`;
const CONNECTION_KEY = 'grantkit-demo.smithcart.connection';
const TIMEOUT = 60_000;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: DemoServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const serverLog: string[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  }
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(screenshots, { recursive: true });
  await buildBrowserBundle({ outdir: `${artifacts}public`, fromSource: true });
  server = await startDemoServer({
    config: readConfig({ HOST: '127.0.0.1', PORT: '0' }),
    publicDir: `${artifacts}public`,
    log: (line) => serverLog.push(line),
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  console.log(`e2e screenshots: ${screenshots}`);
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

/** The SmithCart connection this tab keeps, as raw JSON, or null. */
function storedConnection(): Promise<string | null> {
  return page.evaluate((key) => sessionStorage.getItem(key), CONNECTION_KEY);
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

describe('the demo in a real browser', () => {
  async function signInToSmartConnect(password: string): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('Username', { exact: true }).fill('demo@example.com');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
  }

  it('runs both grants side by side in one tab', async () => {
    await signInToSmartConnect('demo-password');
    await approve(['delete']);
    await page.locator('tr[data-order-id="1"]').waitFor();
    await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe('Signed in as demo@example.com');
    await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('delete');
    await screenshot('both-panels');
  });

  describe('SmartConnect panel', () => {
    it('signs in with the demo password and shows the redacted token and the sample API answer', async () => {
      await signInToSmartConnect('demo-password');
      await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe(
        'Signed in as demo@example.com',
      );
      await expect(page.getByTestId('smartconnect-token').textContent()).resolves.toMatch(
        /^AccessToken\(bearer, scope "", expires \d{4}-\d\d-\d\dT/,
      );
      await expect(page.getByTestId('smartconnect-sample').textContent()).resolves.toContain(
        '"displayName": "Demo User"',
      );
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'grantkit_demo_session', httpOnly: true, sameSite: 'Lax' });
      await expect(page.evaluate(() => document.cookie)).resolves.toBe('');
      expect(serverLog.join('\n')).not.toMatch(/demo-password|demo-client-secret|eyJ/);
      await screenshot('smartconnect-signed-in');
    });

    it('refuses a wrong password with a message and no session', async () => {
      await signInToSmartConnect('wrong-password');
      await expect(page.getByRole('alert').textContent()).resolves.toContain(
        'SmartConnect refused this username and password',
      );
      await expect(context.cookies()).resolves.toEqual([]);
      await screenshot('smartconnect-wrong-password');
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
      await expect(storedConnection()).resolves.toContain('"scope":"orders create delete"');
      expect(serverLog.join('\n')).not.toContain('access_token');
      await screenshot('smithcart-full-consent');
    });

    it('pages forward and back through the Link header', async () => {
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      const next = page.getByRole('button', { name: 'Next →' });
      const previous = page.getByRole('button', { name: '← Previous' });
      await expect(previous.isDisabled()).resolves.toBe(true);
      await next.click();
      await page.locator('tr[data-order-id="11"]').waitFor();
      await expect(orderIds()).resolves.toEqual(['11', '12', '13', '14', '15', '16', '17', '18', '19', '20']);
      await next.click();
      await page.locator('tr[data-order-id="21"]').waitFor();
      await expect(next.isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 3');
      await previous.click();
      await page.locator('tr[data-order-id="11"]').waitFor();
      await expect(page.getByTestId('smithcart-page').textContent()).resolves.toBe('Page 2');
      await screenshot('smithcart-paging');
    });

    it('creates an order (201) and deletes it (204)', async () => {
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      await page.getByLabel('New order total (GBP)').fill('42');
      await page.getByRole('button', { name: 'Create order' }).click();
      const created = await page.getByTestId('smithcart-message').textContent();
      expect(created).toMatch(/^Created order #(\d+) \(201 Created\) at \/users\/ada\/orders\/\1\.json\.$/);
      const id = /#(\d+)/.exec(created ?? '')?.[1] as string;
      // The new order is the last one: follow Next to the last page.
      for (let number = 2; !(await page.getByRole('button', { name: 'Next →' }).isDisabled()); number += 1) {
        await page.getByRole('button', { name: 'Next →' }).click();
        await page.getByTestId('smithcart-page').getByText(`Page ${number}`).waitFor();
      }
      await expect(page.locator(`tr[data-order-id="${id}"] td.number`).textContent()).resolves.toBe('£42.00');
      await page.locator(`tr[data-order-id="${id}"]`).getByRole('button', { name: 'Delete' }).click();
      await page.getByText(`Deleted order #${id} (204 No Content).`).waitFor();
      // Its page is now empty, so the panel steps back to the previous one.
      await page.getByTestId('smithcart-page').getByText('Page 3').waitFor();
      await expect(page.locator(`tr[data-order-id="${id}"]`).count()).resolves.toBe(0);
      await screenshot('smithcart-create-delete');
    });

    it('with orders unticked, shows what was denied and the scope message instead of the orders', async () => {
      await approve(['orders']);
      await expect(page.getByTestId('smithcart-granted').textContent()).resolves.toBe('createdelete');
      await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('orders');
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Listing your orders needs the "orders" scope, which was not granted. Connect again and keep "orders" ticked.',
      );
      await expect(page.locator('tr[data-order-id]').count()).resolves.toBe(0);
      await screenshot('smithcart-partial-consent');
    });

    it('with every scope unticked, shows that nothing was granted and everything denied', async () => {
      await approve(['orders', 'create', 'delete']);
      await expect(page.getByTestId('smithcart-granted').textContent()).resolves.toBe('none');
      await expect(page.getByTestId('smithcart-denied').textContent()).resolves.toBe('orderscreatedelete');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('needs the "orders" scope');
    });

    it('when the user denies, shows access_denied and stores nothing', async () => {
      await openConsentPage();
      await page.locator('button[value="deny"]').click();
      await page.waitForURL(`${server.url}/smithcart/callback.html**`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('(access_denied)');
      expect(page.url()).toBe(`${server.url}/smithcart/callback.html`);
      await expect(storedConnection()).resolves.toBeNull();
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
      expect(page.url()).toBe(`${server.url}/smithcart/callback.html`);
      await expect(storedConnection()).resolves.toBeNull();
      expect(server.mocks?.smithcart.mock.stats.apiRequests).toBe(apiRequests);
      await screenshot('smithcart-tampered-state');
    });

    it('tells the user to connect again when the token has expired', async () => {
      await approve();
      await page.locator('tr[data-order-id="1"]').waitFor();
      await page.evaluate((key) => {
        const stored = JSON.parse(sessionStorage.getItem(key) ?? '{}');
        stored.token.expiresAt = Date.now() - 1_000;
        sessionStorage.setItem(key, JSON.stringify(stored));
      }, CONNECTION_KEY);
      await page.reload();
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'Your SmithCart token has expired. The implicit grant has no refresh token: connect again.',
      );
      await screenshot('smithcart-expired-token');
    });
  });
});
