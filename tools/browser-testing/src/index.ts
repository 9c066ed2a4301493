import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from 'playwright-core';
import { slug } from './slug.js';

export { launchBrowser } from './driver/launch-browser.js';
export { recordContextFailures } from './driver/record-context-failures.js';
export { itSurvivingBrowserCrash, surviveBrowserCrash } from './driver/survive-browser-crash.js';
export type { BrowserName, PageFunction, TestBrowser, TestContext, TestPage } from './driver/test-browser.js';
export { browserNames } from './driver/test-browser.js';
export { pageOpenedBy, waitForUrl, waitUntil } from './driver/wait-until.js';

/** Debian's Chromium, or the one `CHROMIUM_PATH` names. */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google, which a closed network refuses.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches Chromium for a suite: headless, unless `E2E_HEADED=1` (needs a display: run under `xvfb-run` on a
 * server), each action slowed by `E2E_SLOWMO` milliseconds when set.
 *
 * @example
 * ```ts
 * const browser = await launchChromium({ args: ['--block-new-web-contents'] });
 * ```
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: \`pnpm test\` installs it (apt-get), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: process.env.E2E_HEADED !== '1',
    slowMo: Number(process.env.E2E_SLOWMO ?? 0) || 0,
    ...options,
    args: [...ARGS, ...(options.args ?? [])],
  });
}

/** What {@link recordFailures} returns: call `finish()` in `afterEach`, before the context closes. */
export interface FailureRecorder {
  /** Writes the artifacts when the current test failed; returns their folder, or `undefined` when it passed. */
  finish(): Promise<string | undefined>;
}

/**
 * Records the console and the network of every page of `context`. When the test fails (the suite runs in
 * `@grantkit/browser-testing/environment`), `finish()` writes a full-page screenshot of each open page,
 * `console.log` and `network.log` to `<artifactsDir>/failures/<test name>/` and prints that folder.
 *
 * @example
 * ```ts
 * let recorder: FailureRecorder;
 * beforeEach(async () => { context = await browser.newContext(); recorder = recordFailures(context, artifacts); });
 * afterEach(async () => { await recorder.finish(); await context.close(); });
 * ```
 */
export function recordFailures(context: BrowserContext, artifactsDir: string): FailureRecorder {
  const consoleLines: string[] = [];
  const networkLines: string[] = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  context.on('page', (page) => {
    page.on('console', (message) => consoleLines.push(`${stamp()} ${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`${stamp()} pageerror: ${error.message}`));
  });
  context.on('response', (response) => {
    const request = response.request();
    networkLines.push(`${stamp()} ${request.method()} ${request.url()} → ${response.status()}`);
  });
  context.on('requestfailed', (request) => {
    networkLines.push(`${stamp()} ${request.method()} ${request.url()} ✗ ${request.failure()?.errorText ?? ''}`);
  });
  return {
    async finish() {
      const { currentTestName = 'unknown test' } = expect.getState();
      const failed = (globalThis as { __failedTests?: Set<string> }).__failedTests;
      if (!failed?.has(currentTestName)) return undefined;
      const folder = join(artifactsDir, 'failures', slug(currentTestName));
      await mkdir(folder, { recursive: true });
      const pages = context.pages();
      for (const [index, page] of pages.entries()) {
        await page.screenshot({ path: join(folder, `page-${index + 1}.png`), fullPage: true }).catch(() => undefined);
      }
      await writeFile(join(folder, 'console.log'), `${consoleLines.join('\n')}\n`);
      await writeFile(join(folder, 'network.log'), `${networkLines.join('\n')}\n`);
      process.stderr.write(`e2e failure artifacts of "${currentTestName}": ${folder}\n`);
      return folder;
    },
  };
}

/**
 * What a person would see go wrong on `page` from now on, as lines: each answer of 400 or above
 * (`404 /path`), and each console error (`console: …`).
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (entry) => {
    if (entry.type() === 'error') problems.push(`console: ${entry.text()}`);
  });
  return problems;
}
