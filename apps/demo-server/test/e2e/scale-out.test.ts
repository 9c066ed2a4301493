import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type FailureRecorder, launchChromium, recordFailures } from '@grantkit/browser-testing';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { type RedisServer, startRedisServer } from '@grantkit/redis/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const artifacts = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url));
const TIMEOUT = 90_000;
jest.setTimeout(TIMEOUT);

/** One demo-server process, as `pnpm demo` runs it (from source here). */
interface Instance {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

let redis: RedisServer;
let provider: ServedHandler;
let tokenRequests = 0;
const smartconnect = createMockSmartConnect({ includeExpiresIn: true });
const instances: Instance[] = [];
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorder: FailureRecorder;

/** Starts `src/main.ts` in a process of its own with `env`, and waits for its banner. */
function startInstance(env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@grantkit/source', '--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /grantkit demo listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({
          url,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  redis = await startRedisServer();
  // One SmartConnect for both instances, as a real provider would be: the test's own mock, counting token requests.
  provider = await serveFetchHandler(async (request) => {
    if (new URL(request.url).pathname === '/token') tokenRequests += 1;
    return smartconnect(request);
  });
  const env = {
    REDIS_URL: redis.url,
    GRANTKIT_TOKEN_KEY: randomBytes(32).toString('base64'),
    SMARTCONNECT_BASE_URL: provider.url,
    SMARTCONNECT_CLIENT_ID: SMARTCONNECT_DEMO_CLIENT.clientId,
    SMARTCONNECT_CLIENT_SECRET: SMARTCONNECT_DEMO_CLIENT.clientSecret,
  };
  instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
  browser = await launchChromium();
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await Promise.all(instances.map((instance) => instance.stop()));
  await provider?.close();
  await redis?.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  recorder = recordFailures(context, artifacts);
  page = await context.newPage();
});

afterEach(async () => {
  await recorder.finish();
  await context.close();
});

describe('two demo-server instances on one Redis, with no sticky routing', () => {
  it('serve one signed-in user: signed in on the first, the second calls SmartConnect with the same token', async () => {
    const [first, second] = instances as [Instance, Instance];
    expect(new URL(first.url).port).not.toBe(new URL(second.url).port);
    expect(first.output()).toContain('Sessions and SmartConnect tokens: in Redis at redis://127.0.0.1:');

    await page.goto(first.url);
    await page.getByLabel('Username', { exact: true }).fill(SMARTCONNECT_DEMO_USER.username);
    await page.getByLabel('Password', { exact: true }).fill(SMARTCONNECT_DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${first.url}/`);
    await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe('Signed in as demo@example.com');

    // Same host name, another port: the browser sends the same session cookie to the second instance.
    await page.goto(second.url);
    await expect(page.getByTestId('smartconnect-status').textContent()).resolves.toBe('Signed in as demo@example.com');
    await expect(page.getByTestId('smartconnect-sample').textContent()).resolves.toContain(
      '"displayName": "Demo User"',
    );
    expect(second.output()).toMatch(/^GET \/ 200 /m);
    expect(second.output()).not.toMatch(/POST \/smartconnect\/sign-in/);
    expect(tokenRequests).toBe(1);

    // Signing out on the second ends the session on the first too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${second.url}/`);
    await page.goto(first.url);
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(tokenRequests).toBe(1);
    for (const instance of instances) expect(instance.output()).not.toContain(SMARTCONNECT_DEMO_USER.password);
  });

  it('shows on each instance’s token timeline what it did when both renew at once: one fetches, the other waits', async () => {
    const [first, second] = instances as [Instance, Instance];
    await page.goto(first.url);
    await page.getByLabel('Username', { exact: true }).fill(SMARTCONNECT_DEMO_USER.username);
    await page.getByLabel('Password', { exact: true }).fill(SMARTCONNECT_DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${first.url}/`);

    // SmartConnect revokes the token, and answers token requests slowly enough for both calls to meet.
    smartconnect.revokeAllTokens();
    smartconnect.setTokenDelay(300);
    const before = tokenRequests;
    try {
      const answers = await Promise.all(
        instances.map((instance) =>
          context.request.post(`${instance.url}/smartconnect/call`, {
            headers: { origin: instance.url, accept: 'application/json' },
          }),
        ),
      );
      for (const answer of answers) expect(await answer.json()).toMatchObject({ signedIn: true, sample: { ok: true } });
    } finally {
      smartconnect.setTokenDelay(0);
    }
    expect(tokenRequests - before).toBe(1);

    const timelineOf = async (instance: Instance) => {
      await page.goto(instance.url);
      return page
        .locator('#smartconnect-timeline li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    };
    const kinds = [...(await timelineOf(first)), ...(await timelineOf(second))];
    expect(kinds.filter((kind) => kind === 'fetched')).toHaveLength(2); // the sign-in's, and the renewal
    expect(kinds).toContain('waited');
    expect(kinds).toContain('lock_contended');
    await page.screenshot({ path: `${artifacts}screenshots/token-timeline-waited.png`, fullPage: true });
  });
});
