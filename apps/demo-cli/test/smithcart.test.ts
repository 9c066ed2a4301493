import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMITHCART_DEMO_DATA } from '@grantkit/smithcart/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AUTHORIZE_URL, consent, deliver, isListening } from './support/browser-over-http.js';
import { makeHome, runCli, startCli } from './support/cli.js';

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

  describe('when the state in the callback was tampered with', () => {
    it('exits 5, discards the token and stores nothing', async () => {
      const { cli, authorizeUrl } = await startLogin();
      const callback = await consent(authorizeUrl.href, { decision: 'approve' });
      const fragment = new URLSearchParams(callback.hash.slice(1));
      fragment.set('state', `${fragment.get('state')}x`);

      const delivery = await deliver(callback, fragment.toString());
      const result = await cli.done;

      expect(delivery.body.ok).toBe(false);
      expect(result).toMatchObject({ code: 5 });
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'state_mismatch', exitCode: 5 } });
      expect(result.stdout).not.toContain(fragment.get('access_token'));
      await expect(stat(join(home.path, 'sessions.json'))).rejects.toThrow('ENOENT');
    });
  });

  describe('when a second login starts while the first one still listens', () => {
    it('gives each its own port and state, so a callback for one fails the other with exit 5', async () => {
      const first = await startLogin();
      const second = await startLogin();
      expect(second.redirectUri.port).not.toBe(first.redirectUri.port);

      const secondCallback = await consent(second.authorizeUrl.href, { decision: 'approve' });
      await deliver(secondCallback);
      expect(await second.cli.done).toMatchObject({ code: 0 });
      expect(await isListening(first.redirectUri)).toBe(true);

      const replayed = new URL(first.redirectUri);
      replayed.hash = secondCallback.hash;
      await deliver(replayed);
      expect(await first.cli.done).toMatchObject({ code: 5 });
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
    expect(result.stderr).toContain('grantkit-demo smithcart login --mock');
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
