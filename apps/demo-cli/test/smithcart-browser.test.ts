import { fileURLToPath } from 'node:url';
import { type FailureRecorder, launchChromium, recordFailures } from '@grantkit/browser-testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';
import { AUTHORIZE_URL, isListening } from './support/browser-over-http.js';
import { makeHome, startCli } from './support/cli.js';

const TIMEOUT = 60_000;
const artifacts = fileURLToPath(new URL('../.e2e-artifacts/', import.meta.url));
let browser: Browser;
let context: BrowserContext | undefined;
let recorder: FailureRecorder | undefined;
let home: Awaited<ReturnType<typeof makeHome>>;

beforeAll(async () => {
  home = await makeHome();
  browser = await launchChromium();
}, TIMEOUT);

afterEach(async () => {
  await recorder?.finish();
  await context?.close();
});

afterAll(async () => {
  await browser?.close();
  await home?.remove();
});

describe('grantkit-demo smithcart login in a real browser (Chromium)', () => {
  it(
    'completes when the user approves on the consent page, and the callback page hands over the token and hides it',
    async () => {
      const cli = startCli(
        ['smithcart', 'login', '--mock', '--no-open', '--json', '--scope', 'private,orders'],
        home.path,
      );
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
      context = await browser.newContext();
      recorder = recordFailures(context, artifacts);
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });

      await page.goto(url as string);
      await page.getByRole('checkbox', { name: /orders/ }).uncheck();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForSelector('body[data-outcome="success"]');

      expect(await page.locator('#status').textContent()).toContain('Signed in');
      expect(new URL(page.url()).hash).toBe('');
      expect(new URL(page.url()).pathname).toBe('/callback');
      expect(consoleErrors).toEqual([]);
      const result = await cli.done;
      expect(result).toMatchObject({ code: 0 });
      expect(JSON.parse(result.stdout)).toMatchObject({ username: 'ada', granted: ['private'], denied: ['orders'] });
      expect(await isListening(new URL('/callback', page.url()))).toBe(false);
    },
    TIMEOUT,
  );
});
