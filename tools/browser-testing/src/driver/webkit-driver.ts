import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, globSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { TestBrowser, TestContext, TestPage } from './test-browser.js';
import { waitUntil } from './wait-until.js';
import { WebDriverSession } from './webdriver-session.js';
import { startXvfb, type VirtualDisplay } from './xvfb.js';

/** Debian's WebKitWebDriver (package webkit2gtk-driver), or the one `WEBKIT_WEBDRIVER_PATH` names. */
const webkitWebDriverPath: string = process.env.WEBKIT_WEBDRIVER_PATH ?? '/usr/bin/WebKitWebDriver';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver (classic W3C WebDriver), on an Xvfb display of its own:
 * the MiniBrowser of Debian's WebKitGTK has no headless mode. `E2E_HEADED=1` uses `DISPLAY` instead.
 */
export async function launchWebKitDriver(): Promise<TestBrowser> {
  const miniBrowser = process.env.WEBKIT_MINIBROWSER_PATH ?? globSync('/usr/lib/*/webkit2gtk-4.*/MiniBrowser')[0];
  if (!existsSync(webkitWebDriverPath) || !miniBrowser) {
    throw new Error(
      `No WebKitWebDriver at ${webkitWebDriverPath} or no MiniBrowser: \`pnpm test\` installs webkit2gtk-driver (apt-get).`,
    );
  }
  const headed = process.env.E2E_HEADED === '1' && process.env.DISPLAY;
  const xvfb: VirtualDisplay | undefined = headed ? undefined : await startXvfb();
  const port = await freePort();
  const driver: ChildProcess = spawn(webkitWebDriverPath, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb?.display ?? process.env.DISPLAY },
    stdio: 'ignore',
  });
  // Taken at spawn, so that a second stop (a close during a relaunch) waits for the same exit, not forever.
  const driverExit = once(driver, 'exit').catch(() => undefined);
  const stop = async () => {
    driver.kill();
    await driverExit;
    await xvfb?.stop();
  };
  try {
    const driverUrl = `http://127.0.0.1:${port}`;
    await waitUntil(
      () =>
        fetch(`${driverUrl}/status`).then(
          (answer) => answer.ok,
          () => false,
        ),
      'WebKitWebDriver',
    );
    const session = await WebDriverSession.create(driverUrl, {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
    });
    return webkitBrowser(session, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

function webkitBrowser(session: WebDriverSession, stop: () => Promise<void>): TestBrowser {
  const wrapped = new Map<string, TestPage>();
  const handles = () => session.command(undefined, 'GET', '/window/handles') as Promise<string[]>;
  const page = (handle: string): TestPage => {
    let testPage = wrapped.get(handle);
    if (!testPage) {
      testPage = webkitPage(session, handle, async () => (await handles()).includes(handle));
      wrapped.set(handle, testPage);
    }
    return testPage;
  };
  /** The window kept open between contexts (a session ends with its last window), reused by the next context. */
  let spare: string | undefined;
  const keepOneBlankWindow = async () => {
    const [first, ...others] = await handles();
    for (const handle of others) await session.command(handle, 'DELETE', '/window');
    spare = first;
    await session.command(spare, 'POST', '/url', { url: 'about:blank' });
  };
  return {
    name: 'webkit',
    version: `WebKitGTK ${String(session.capabilities.browserVersion)} (MiniBrowser)`,
    async newContext(): Promise<TestContext> {
      // One session for the suite, as a new one costs a browser start: a context is that session with
      // every window of the one before closed, which takes its tabs' memory and sessionStorage along.
      await keepOneBlankWindow();
      return {
        async newPage(url) {
          let handle = spare;
          spare = undefined;
          // A new window opens from the current one, which may have closed itself (a popup): start from one open.
          const [from] = await handles();
          handle ??= ((await session.command(from, 'POST', '/window/new', { type: 'tab' })) as { handle: string })
            .handle;
          await session.command(handle, 'POST', '/url', { url });
          return page(handle);
        },
        pages: async () => (await handles()).filter((handle) => handle !== spare).map(page),
        consoleLines: () => [],
        close: keepOneBlankWindow,
      };
    },
    crashed: async () => !(await session.isAlive()),
    async close() {
      await session.delete().catch(() => undefined);
      await stop();
    },
  };
}

function webkitPage(session: WebDriverSession, handle: string, isOpen: () => Promise<boolean>): TestPage {
  const command = (method: string, path: string, body?: unknown) => session.command(handle, method, path, body);
  return {
    goto: async (url) => {
      await command('POST', '/url', { url });
    },
    url: async () => (await command('GET', '/url')) as string,
    async evaluate(fn, arg) {
      const script = `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${fn.toString()})(arguments[0].arg)).then(
          (value) => done({ value }),
          (error) => done({ error: String(error && error.stack || error) }),
        );`;
      const outcome = (await command('POST', '/execute/async', { script, args: [{ arg }] })) as {
        value?: unknown;
        error?: string;
      };
      if (outcome.error !== undefined) throw new Error(`evaluate failed in the page: ${outcome.error}`);
      return outcome.value as never;
    },
    async click(selector) {
      const element = (await command('POST', '/element', { using: 'css selector', value: selector })) as Record<
        string,
        string
      >;
      await command('POST', `/element/${element[ELEMENT]}/click`);
    },
    close: async () => {
      await command('DELETE', '/window');
    },
    isClosed: async () => !(await isOpen()),
    screenshot: async (path) => {
      await writeFile(path, Buffer.from((await command('GET', '/screenshot')) as string, 'base64'));
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
