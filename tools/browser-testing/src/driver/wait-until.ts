import type { TestContext, TestPage } from './test-browser.js';

const POLL_MS = 50;

/** Polls `condition` until it holds, or throws `timed out waiting for <what>` after `timeout` ms. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits until `page`'s address contains `part`. */
export async function waitForUrl(page: TestPage, part: string, timeout?: number): Promise<void> {
  let last = '';
  await waitUntil(
    async () => {
      last = await page.url();
      return last.includes(part);
    },
    `an address with "${part}" (last: ${last})`,
    timeout,
  ).catch(() => {
    throw new Error(`timed out waiting for an address with "${part}"; the page is on ${last}`);
  });
}

/** Runs `action` and returns the one page that opened meanwhile in `context` (a popup, a `window.open`). */
export async function pageOpenedBy(context: TestContext, action: () => Promise<unknown>, timeout?: number) {
  const before = new Set(await context.pages());
  await action();
  let opened: TestPage | undefined;
  await waitUntil(
    async () => {
      opened = (await context.pages()).find((page) => !before.has(page));
      return opened !== undefined;
    },
    'a new page',
    timeout,
  );
  return opened as TestPage;
}
