/**
 * A classic W3C WebDriver session over HTTP, with only the commands the e2e suites use. Commands run one at a
 * time, each in the window it names, since a session has one current window.
 */
export class WebDriverSession {
  private queue: Promise<unknown> = Promise.resolve();
  private current: string | undefined;

  private constructor(
    private readonly base: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  static async create(driverUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const { sessionId, capabilities: granted } = (await send(`${driverUrl}/session`, 'POST', {
      capabilities: { alwaysMatch: capabilities },
    })) as { sessionId: string; capabilities: Record<string, unknown> };
    return new WebDriverSession(`${driverUrl}/session/${sessionId}`, granted);
  }

  /** Runs `path` in window `handle` (or wherever the session is, when `undefined`) after the earlier commands. */
  command(handle: string | undefined, method: string, path: string, body?: unknown): Promise<unknown> {
    const run = async () => {
      if (handle !== undefined && handle !== this.current) {
        await send(`${this.base}/window`, 'POST', { handle });
        this.current = handle;
      }
      const value = await send(`${this.base}${path}`, method, body);
      if (method === 'DELETE' && path === '/window') this.current = undefined;
      return value;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** False once the browser is gone: WebKitWebDriver then answers every command with `invalid session id`. */
  async isAlive(): Promise<boolean> {
    return send(`${this.base}/window/handles`, 'GET').then(
      () => true,
      (error: unknown) => !String(error).includes('invalid session id'),
    );
  }

  async delete(): Promise<void> {
    await this.queue;
    await send(this.base, 'DELETE');
  }
}

const COMMAND_TIMEOUT_MS = 20_000;

async function send(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? (method === 'POST' ? '{}' : null) : JSON.stringify(body),
    // A command that never answers (a window gone mid-command) fails the test instead of hanging the suite.
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
  });
  const { value } = (await response.json()) as { value: unknown };
  if (!response.ok) {
    const { error, message } = value as { error?: string; message?: string };
    throw new Error(
      `WebDriver ${method} ${new URL(url).pathname.replace(/^\/session\/[^/]+/, '')}: ${error}: ${message}`,
    );
  }
  return value;
}
