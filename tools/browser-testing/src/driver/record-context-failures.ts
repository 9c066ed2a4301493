import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { FailureRecorder } from '../index.js';
import { slug } from '../slug.js';
import type { TestContext } from './test-browser.js';

const CONSOLE_LINES_IN_LOG = 20;

/**
 * {@link recordFailures} for a browser-neutral context: when the current test failed, a screenshot of each open
 * page and the console lines the driver could see go to `<artifactsDir>/failures/<test name>/`.
 */
export function recordContextFailures(context: TestContext, artifactsDir: string): FailureRecorder {
  return {
    async finish() {
      const { currentTestName = 'unknown test' } = expect.getState();
      const failed = (globalThis as { __failedTests?: Set<string> }).__failedTests;
      if (!failed?.has(currentTestName)) return undefined;
      const folder = join(artifactsDir, 'failures', slug(currentTestName));
      await mkdir(folder, { recursive: true });
      const pages = await context.pages().catch(() => []);
      const addresses: string[] = [];
      for (const [index, page] of pages.entries()) {
        await page.screenshot(join(folder, `page-${index + 1}.png`)).catch(() => undefined);
        addresses.push(`page ${index + 1}: ${await page.url().catch((error: unknown) => `(no address: ${error})`)}`);
      }
      const lines = context.consoleLines();
      await writeFile(join(folder, 'console.log'), `${lines.join('\n')}\n`);
      // A clean-clone CI run keeps its log, not the folder: the log says where each page was and what it said last.
      const summary = [...addresses, ...lines.slice(-CONSOLE_LINES_IN_LOG).map((line) => `console ${line}`)];
      process.stderr.write(
        `e2e failure artifacts of "${currentTestName}": ${folder}\n${summary.map((line) => `  ${line}\n`).join('')}`,
      );
      return folder;
    },
  };
}
