/** The browsers the e2e suites run in: Debian's Chromium, Firefox ESR and WebKitGTK. */
export type BrowserName = 'chromium' | 'firefox' | 'webkit';

export const browserNames: readonly BrowserName[] = ['chromium', 'firefox', 'webkit'];

/**
 * A function run in the page: it is sent as source text, so it may use only its argument and the page's
 * globals (no closure over the test's variables), as with Playwright's `page.evaluate`.
 */
export type PageFunction<Arg, Result> = (arg: Arg) => Result | Promise<Result>;

/** One tab or popup window. */
export interface TestPage {
  /** Navigates and waits for the page's `load` event. */
  goto(url: string): Promise<void>;
  /** The address now shown, fragment included. */
  url(): Promise<string>;
  evaluate<Result, Arg = undefined>(fn: PageFunction<Arg, Result>, arg?: Arg): Promise<Result>;
  /** Clicks the first element matching the CSS `selector` as a user would (a trusted click), without waiting for a navigation. */
  click(selector: string): Promise<void>;
  close(): Promise<void>;
  /** Whether the page was closed, by the test or by itself (`window.close()`). */
  isClosed(): Promise<boolean>;
  screenshot(path: string): Promise<void>;
}

/** A set of pages that share cookies, storage and BroadcastChannels, isolated from the context before it. */
export interface TestContext {
  newPage(url: string): Promise<TestPage>;
  /** The pages open now, popups included, oldest first. */
  pages(): Promise<TestPage[]>;
  /** What the pages logged to the console so far, one line an entry (empty where the driver cannot tell). */
  consoleLines(): readonly string[];
  close(): Promise<void>;
}

/** A launched browser: one per suite, a fresh context per test. */
export interface TestBrowser {
  readonly name: BrowserName;
  /** The product and version, e.g. `Firefox 153.8.0esr`. */
  readonly version: string;
  /** A fresh context; after the browser process died ({@link TestBrowser.crashed}), in a relaunched browser. */
  newContext(): Promise<TestContext>;
  /** Whether the browser process itself is gone (a crash of the browser, not of a page or a test). */
  crashed(): Promise<boolean>;
  close(): Promise<void>;
}
