import { readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { SMITHCART_DEMO_DATA } from '@grantkit/smithcart/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AUTHORIZE_URL, consent, deliver, isListening } from './support/browser-over-http.js';
import { makeHome, runCli, startCli } from './support/cli.js';
import { runInTerminal } from './support/terminal.js';

let home: Awaited<ReturnType<typeof makeHome>>;

beforeEach(async () => {
  home = await makeHome();
});

afterEach(async () => {
  await home.remove();
});

/** Starts `smithcart login --mock --no-open` and returns it with the address it printed. */
async function startLogin(extra: readonly string[] = []) {
  const cli = startCli(['smithcart', 'login', '--mock', '--no-open', '--json', ...extra], home.path);
  const [, url] = await cli.waitForStderr(AUTHORIZE_URL);
  const authorizeUrl = new URL(url as string);
  const redirectUri = new URL(authorizeUrl.searchParams.get('redirect_uri') as string);
  return { cli, authorizeUrl, redirectUri };
}

/** The content of a file once a whole line has been written to it. */
async function waitForText(path: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const content = await readFile(path, 'utf8').catch(() => '');
    if (content.endsWith('\n')) return content;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Nothing was written to ${path}`);
}

async function login(): Promise<void> {
  const { cli, authorizeUrl } = await startLogin();
  await deliver(await consent(authorizeUrl.href, { decision: 'approve' }));
  expect(await cli.done).toMatchObject({ code: 0 });
}

describe('grantkit-demo smithcart login --mock --no-open', () => {
  it('prints the authorization address with a loopback redirect URI on a free port', async () => {
    const { cli, authorizeUrl, redirectUri } = await startLogin();

    expect(authorizeUrl.pathname).toBe('/oauth2/authorize');
    expect(authorizeUrl.searchParams.get('response_type')).toBe('token');
    expect(authorizeUrl.searchParams.get('scope')).toBe('private orders');
    expect(redirectUri.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(Number(redirectUri.port)).toBeGreaterThan(0);
    cli.child.kill('SIGINT');
    expect(await cli.done).toMatchObject({ code: 130 });
    expect(await isListening(redirectUri)).toBe(false);
  });

  describe('when the user approves every scope', () => {
    it('serves a callback page without inline script, stores the token and prints the grant', async () => {
      const { cli, authorizeUrl, redirectUri } = await startLogin();
      const page = await fetch(redirectUri);
      const html = await page.text();
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html).toContain('<script src="/callback.js"');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect((await fetch(new URL('/callback.js', redirectUri))).headers.get('content-type')).toMatch(/javascript/);

      const delivery = await deliver(await consent(authorizeUrl.href, { decision: 'approve' }));
      const result = await cli.done;

      expect(delivery.body.ok).toBe(true);
      expect(result).toMatchObject({ code: 0 });
      expect(JSON.parse(result.stdout)).toMatchObject({
        provider: 'smithcart',
        username: 'ada',
        granted: ['private', 'orders'],
        denied: [],
      });
      const file = join(home.path, 'sessions.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const session = JSON.parse(await readFile(file, 'utf8')).sessions['smithcart-mock'];
      expect(session.token.scope).toBe('private orders');
      expect(await isListening(redirectUri)).toBe(false);
    });
  });

  describe('when the user unticks a scope', () => {
    it('prints the granted and the denied scopes', async () => {
      const { cli, authorizeUrl } = await startLogin();

      await deliver(await consent(authorizeUrl.href, { decision: 'approve', untick: ['orders'] }));
      const result = await cli.done;

      expect(result).toMatchObject({ code: 0 });
      expect(JSON.parse(result.stdout)).toMatchObject({ granted: ['private'], denied: ['orders'] });
    });
  });

  describe('when the user denies', () => {
    it('exits 3 with access_denied, stores nothing and closes the listener', async () => {
      const { cli, authorizeUrl, redirectUri } = await startLogin();

      const delivery = await deliver(await consent(authorizeUrl.href, { decision: 'deny' }));
      const result = await cli.done;

      expect(delivery.body).toMatchObject({ ok: false, message: expect.stringContaining('access_denied') });
      expect(result).toMatchObject({ code: 3 });
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'oauth_error', error: 'access_denied' } });
      await expect(stat(join(home.path, 'sessions.json'))).rejects.toThrow('ENOENT');
      expect(await isListening(redirectUri)).toBe(false);
    });
  });

  describe('when the user denies, without --json', () => {
    it('tells the person at the terminal that access was not granted and how to sign in', async () => {
      const cli = startCli(['smithcart', 'login', '--mock', '--no-open'], home.path);
      const [, url] = await cli.waitForStderr(AUTHORIZE_URL);

      await deliver(await consent(url as string, { decision: 'deny' }));
      const result = await cli.done;

      expect(result).toMatchObject({ code: 3 });
      expect(result.stderr).toContain('Error: Access was not granted (access_denied)');
      expect(result.stderr).toContain('choose Approve');
      expect(result.stderr).not.toContain('ask the user');
    });
  });

  describe('when a callback arrives with a state that is not this login’s', () => {
    it('answers it 400, ignores its token, and completes with the real callback', async () => {
      const { cli, authorizeUrl } = await startLogin();
      const callback = await consent(authorizeUrl.href, { decision: 'approve' });
      const fragment = new URLSearchParams(callback.hash.slice(1));
      const realToken = fragment.get('access_token');
      fragment.set('state', `${fragment.get('state')}x`);
      fragment.set('access_token', 'tampered-token');

      const tampered = await deliver(callback, fragment.toString());
      const real = await deliver(callback);
      const result = await cli.done;

      expect(tampered.status).toBe(400);
      expect(real.body.ok).toBe(true);
      expect(result).toMatchObject({ code: 0 });
      const saved = await readFile(join(home.path, 'sessions.json'), 'utf8');
      expect(JSON.parse(saved).sessions['smithcart-mock'].token.accessToken).toBe(realToken);
      expect(saved).not.toContain('tampered-token');
    });
  });

  describe('when a second login starts while the first one still listens', () => {
    it('gives each its own port and state, so a callback for one is refused by the other, which keeps waiting', async () => {
      const first = await startLogin();
      const second = await startLogin();
      expect(second.redirectUri.port).not.toBe(first.redirectUri.port);

      const secondCallback = await consent(second.authorizeUrl.href, { decision: 'approve' });
      await deliver(secondCallback);
      expect(await second.cli.done).toMatchObject({ code: 0 });

      const replayed = new URL(first.redirectUri);
      replayed.hash = secondCallback.hash;
      expect((await deliver(replayed)).status).toBe(400);
      expect(await isListening(first.redirectUri)).toBe(true);
      await deliver(await consent(first.authorizeUrl.href, { decision: 'approve' }));
      expect(await first.cli.done).toMatchObject({ code: 0 });
    });
  });

  describe('when a post comes from another origin', () => {
    it('refuses it with 403 and keeps waiting for the real callback', async () => {
      const { cli, authorizeUrl, redirectUri } = await startLogin();
      const forged = await fetch(redirectUri, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ fragment: 'access_token=x&token_type=bearer&state=y' }),
      });
      expect(forged.status).toBe(403);

      await deliver(await consent(authorizeUrl.href, { decision: 'approve' }));
      expect(await cli.done).toMatchObject({ code: 0 });
    });
  });

  describe('when SmithCart announces an absurd lifetime (expires_in of 999,999,999,999,999 seconds)', () => {
    it('signs in and prints the expiry as a number of milliseconds, in human output and with --json', async () => {
      const human = startCli(['smithcart', 'login', '--mock', '--no-open'], home.path);
      const [, url] = await human.waitForStderr(AUTHORIZE_URL);
      const callback = await consent(url as string, { decision: 'approve' });
      const fragment = new URLSearchParams(callback.hash.slice(1));
      fragment.set('expires_in', '999999999999999');
      await deliver(callback, fragment.toString());
      const humanResult = await human.done;

      const { cli, authorizeUrl } = await startLogin();
      const jsonCallback = await consent(authorizeUrl.href, { decision: 'approve' });
      const jsonFragment = new URLSearchParams(jsonCallback.hash.slice(1));
      jsonFragment.set('expires_in', '999999999999999');
      await deliver(jsonCallback, jsonFragment.toString());
      const jsonResult = await cli.done;

      expect(humanResult).toMatchObject({ code: 0 });
      expect(humanResult.stdout).toMatch(/Token expires at \d+ ms after the epoch;/);
      expect(jsonResult).toMatchObject({ code: 0 });
      expect(JSON.parse(jsonResult.stdout).expiresAt).toMatch(/^\d+ ms after the epoch$/);
      expect(await runCli(['smithcart', 'whoami', '--mock'], home.path)).toMatchObject({ code: 0 });
      // Three CLI processes, one after another: 20 s was not enough for them on a loaded 2-CPU CI machine.
    }, 60_000);
  });

  describe('when another local program posts a forged callback without an Origin header', () => {
    it('answers it 400 and saves only the token of the real callback', async () => {
      const { cli, authorizeUrl, redirectUri } = await startLogin();
      const forged = await fetch(redirectUri, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fragment: 'access_token=attacker-token&token_type=bearer&state=guessed' }),
      });

      const real = await deliver(await consent(authorizeUrl.href, { decision: 'approve' }));
      const result = await cli.done;

      expect(forged.status).toBe(400);
      expect(real.body.ok).toBe(true);
      expect(result).toMatchObject({ code: 0 });
      expect(await readFile(join(home.path, 'sessions.json'), 'utf8')).not.toContain('attacker-token');
    });
  });

  describe('when another local program sends junk to the listener', () => {
    it('answers a junk post and `GET http://[ HTTP/1.1` with 400, and the login goes on', async () => {
      const { cli, authorizeUrl, redirectUri } = await startLogin();
      const junk = await fetch(redirectUri, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: redirectUri.origin },
        body: JSON.stringify({ fragment: 'junk' }),
      });
      const statusLine = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(redirectUri.port), '127.0.0.1', () =>
          socket.write(`GET http://[ HTTP/1.1\r\nHost: ${redirectUri.host}\r\n\r\n`),
        );
        socket.setEncoding('utf8').once('data', (chunk: string) => {
          socket.destroy();
          resolve(chunk.split('\r\n')[0] as string);
        });
        socket.once('error', reject);
      });

      expect(junk.status).toBe(400);
      expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
      await deliver(await consent(authorizeUrl.href, { decision: 'approve' }));
      const result = await cli.done;
      expect(result).toMatchObject({ code: 0 });
      expect(result.stderr).not.toContain('TypeError');
    });
  });

  describe('when it opens the browser', () => {
    it('opens http://127.0.0.1:<port>/start, so the state never appears on a command line, and /start leads on', async () => {
      const record = join(home.path, 'browser-argv.txt');
      const browser = join(home.path, 'browser');
      await writeFile(browser, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${record}'\n`, { mode: 0o700 });
      const cli = startCli(['smithcart', 'login', '--mock', '--json'], home.path, { BROWSER: browser });
      const argv = (await waitForText(record)).trim();

      expect(argv).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start$/);
      const start = await fetch(argv, { redirect: 'manual' });
      const authorizeUrl = start.headers.get('location') as string;
      expect(start.status).toBe(302);
      expect(new URL(authorizeUrl).searchParams.get('state')).toBeTruthy();
      await deliver(await consent(authorizeUrl, { decision: 'approve' }));
      expect(await cli.done).toMatchObject({ code: 0 });
    });
  });

  describe('when Ctrl-C is pressed in a terminal while it waits for the browser', () => {
    it('exits 130 and says Canceled', async () => {
      const terminal = runInTerminal(['smithcart', 'login', '--mock', '--no-open'], home.path);
      await terminal.waitFor(/Waiting for the browser/);

      terminal.type('\u0003');
      const { code, screen } = await terminal.done;

      expect(code).toBe(130);
      expect(screen).toContain('Canceled.');
    });
  });

  describe('without --mock, a base URL or a terminal to ask on', () => {
    it('exits 2 and names --base-url and SMITHCART_BASE_URL', async () => {
      const result = await runCli(['smithcart', 'login', '--no-open'], home.path);

      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain('--base-url URL or set SMITHCART_BASE_URL');
    });
  });

  describe('when the browser never comes back', () => {
    it('gives up after --timeout with a clear message, exit 4, and closes the listener', async () => {
      const { cli, redirectUri } = await startLogin(['--timeout', '0.5']);

      const result = await cli.done;

      expect(result).toMatchObject({ code: 4 });
      expect(JSON.parse(result.stdout).error.message).toContain('No answer from the browser within 0.5 s');
      expect(await isListening(redirectUri)).toBe(false);
    });
  });
});

describe('grantkit-demo smithcart orders --mock', () => {
  it('with --all --json, follows the Link header through every page', async () => {
    await login();
    const expected = SMITHCART_DEMO_DATA.ada?.orders?.length;

    const result = await runCli(['smithcart', 'orders', '--all', '--json', '--per-page', '7', '--mock'], home.path);

    expect(result).toMatchObject({ code: 0 });
    const output = JSON.parse(result.stdout) as { orders: { id: number }[]; pages: number; complete: boolean };
    expect(output.orders).toHaveLength(expected as number);
    expect(new Set(output.orders.map((order) => order.id)).size).toBe(expected);
    expect(output.pages).toBe(Math.ceil((expected as number) / 7));
    expect(output.complete).toBe(true);
  });

  it('without --all, shows one page, says there are more, and reports progress with --all', async () => {
    await login();

    const one = await runCli(['smithcart', 'orders', '--per-page', '5', '--mock'], home.path);
    const all = await runCli(['smithcart', 'orders', '--all', '--per-page', '10', '--mock'], home.path);

    expect(one.stdout.trim().split('\n')).toHaveLength(6);
    expect(one.stdout).toContain('add --all');
    expect(all.stderr).toContain('Fetched page 2');
    expect(all.stdout).toContain('SC-1030');
  });

  it('once the token has expired, exits 3 and asks to authorize again (the implicit grant has no refresh)', async () => {
    await login();
    const file = join(home.path, 'sessions.json');
    const content = JSON.parse(await readFile(file, 'utf8'));
    content.sessions['smithcart-mock'].token.expiresAt = Date.now() - 1_000;
    await writeFile(file, JSON.stringify(content), { mode: 0o600 });

    const result = await runCli(['smithcart', 'orders', '--mock', '--json'], home.path);

    expect(result).toMatchObject({ code: 3 });
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'token_expired' } });
  });

  it('before any login, exits 3 and says to log in', async () => {
    const result = await runCli(['smithcart', 'orders', '--mock'], home.path);

    expect(result).toMatchObject({ code: 3 });
    expect(result.stderr).toContain('pnpm -s cli smithcart login --mock');
  });
});

describe('grantkit-demo smithcart whoami and logout --mock', () => {
  it('shows the user who approved, then forgets the token', async () => {
    await login();

    const whoami = await runCli(['smithcart', 'whoami', '--mock'], home.path);
    const logout = await runCli(['smithcart', 'logout', '--mock'], home.path);
    const after = await runCli(['smithcart', 'whoami', '--mock'], home.path);

    expect(whoami.stdout).toBe('Ada Lovelace (ada) <ada@example.com>\n');
    expect(logout.stdout).toContain('Signed out of SmithCart');
    expect(after).toMatchObject({ code: 3 });
  });
});
