import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type BrowserName,
  browserNames,
  launchBrowser,
  surviveBrowserCrash,
  type TestBrowser,
  waitUntil,
} from '../src/index.js';

jest.setTimeout(120_000);

/** The browser processes this test process started: Chromium and Firefox directly, MiniBrowser through its driver. */
function browserProcesses(): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    // A browser killed by an earlier test may linger as a zombie until it is reaped: it is not running.
    .filter(([, , stat]) => !stat?.startsWith('Z'))
    .map(([pid, ppid, , comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm ?? '' }));
  const drivers = new Set(
    rows.filter((row) => row.ppid === process.pid && row.comm === 'WebKitWebDriver').map((row) => row.pid),
  );
  return rows
    .filter(
      (row) =>
        (row.ppid === process.pid && /^(chromium|firefox)/.test(row.comm)) ||
        (drivers.has(row.ppid) && row.comm === 'MiniBrowser'),
    )
    .map((row) => row.pid);
}

/** What a segfault of the browser's main process does. */
function crash(): void {
  const pids = browserProcesses();
  expect(pids).toHaveLength(1);
  for (const pid of pids) process.kill(pid, 'SIGSEGV');
}

const page = 'data:text/html,<title>up</title>';

describe.each(browserNames)('when %s itself crashes', (name: BrowserName) => {
  let browser: TestBrowser;

  beforeAll(async () => {
    browser = await launchBrowser(name);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('says it crashed, closes the dead context without a second error, and the next context is in a relaunched browser', async () => {
    const context = await browser.newContext();
    await context.newPage(page);
    await expect(browser.crashed()).resolves.toBe(false);
    crash();
    await waitUntil(() => browser.crashed(), 'the browser to be gone');
    await context.close();
    const next = await browser.newContext();
    const fresh = await next.newPage(page);
    await expect(fresh.evaluate(() => document.title)).resolves.toBe('up');
    await next.close();
  });

  it('runs a scenario the crash interrupted once more, in a relaunched browser', async () => {
    let context = await browser.newContext();
    const titles: string[] = [];
    await surviveBrowserCrash(
      browser,
      async () => {
        const opened = await context.newPage(page);
        if (titles.length === 0) {
          titles.push('crashed');
          crash();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        titles.push(await opened.evaluate(() => document.title));
      },
      async () => {
        context = await browser.newContext();
      },
    );
    expect(titles).toEqual(['crashed', 'up']);
    await context.close();
  });

  it('never runs again a scenario that failed with the browser up, nor one that crashed it twice', async () => {
    let context = await browser.newContext();
    let runs = 0;
    await expect(
      surviveBrowserCrash(
        browser,
        async () => {
          runs += 1;
          throw new Error('an assertion failed');
        },
        async () => {
          context = await browser.newContext();
        },
      ),
    ).rejects.toThrow('an assertion failed');
    expect(runs).toBe(1);

    runs = 0;
    await expect(
      surviveBrowserCrash(
        browser,
        async () => {
          runs += 1;
          await context.newPage(page);
          crash();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await context.newPage(page);
        },
        async () => {
          context = await browser.newContext();
        },
      ),
    ).rejects.toThrow();
    expect(runs).toBe(2);
    await context.close();
  });
});

// jest goes on after a test's timeout while the test's promise still runs; the suite's afterAll then closes the
// browser under it. That close must not read as a crash, or the test relaunches a browser nobody closes and the
// test process never exits (a clean-clone CI run hung 90 minutes so, in Firefox).
describe.each(browserNames)('when %s is closed while a test still runs in it', (name: BrowserName) => {
  it('does not run the test again, relaunches nothing, and refuses a new context with a clear error', async () => {
    const browser = await launchBrowser(name);
    let context = await browser.newContext();
    let runs = 0;
    let polling = false;
    const failure = surviveBrowserCrash(
      browser,
      async () => {
        runs += 1;
        const opened = await context.newPage(page);
        polling = true;
        // What a test that outlived its timeout does: it keeps talking to the browser.
        await waitUntil(async () => (await opened.evaluate(() => document.title)) === 'never', 'a close', 30_000);
      },
      async () => {
        context = await browser.newContext();
      },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitUntil(() => polling, 'the scenario to run');
    await browser.close();
    expect(await failure).toHaveProperty('message');
    expect(runs).toBe(1);
    await expect(browser.crashed()).resolves.toBe(false);
    await expect(browser.newContext()).rejects.toThrow(`${name} was closed`);
    await waitUntil(() => browserProcesses().length === 0, 'no browser process left');
  });

  it('leaves no browser, and refuses the context, when it is closed as a relaunch after a crash would start', async () => {
    const browser = await launchBrowser(name);
    crash();
    await waitUntil(() => browser.crashed(), 'the browser to be gone');
    const next = browser.newContext();
    await browser.close();
    await expect(next).rejects.toThrow(`${name} was closed`);
    await waitUntil(() => browserProcesses().length === 0, 'no browser process left');
  });

  it('leaves no browser when it is closed while a relaunch after a crash is under way', async () => {
    const browser = await launchBrowser(name);
    crash();
    await waitUntil(() => browser.crashed(), 'the browser to be gone');
    // Whether the relaunch is done by the time close() runs depends on the browser's speed: either way,
    // what it launched is closed.
    const next = browser.newContext().then(
      (context) => context.close(),
      () => undefined,
    );
    await waitUntil(() => browserProcesses().length === 1, 'the relaunched browser process');
    await browser.close();
    await next;
    await waitUntil(() => browserProcesses().length === 0, 'no browser process left');
  });
});
