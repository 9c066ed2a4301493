import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { makeHome, runCli, startCli } from './support/cli.js';

const password = { SMARTCONNECT_PASSWORD: SMARTCONNECT_DEMO_USER.password };
let home: Awaited<ReturnType<typeof makeHome>>;

beforeEach(async () => {
  home = await makeHome();
});

afterEach(async () => {
  await home.remove();
});

describe('grantkit-demo smartconnect login --mock', () => {
  describe('when the password in SMARTCONNECT_PASSWORD is right', () => {
    it('exits 0 and stores the token, without the password or client secret, in a 0600 file', async () => {
      const directory = join(home.path, 'not', 'yet', 'there');
      const result = await runCli(['smartconnect', 'login', '--mock', '--json'], home.path, {
        ...password,
        GRANTKIT_DEMO_HOME: directory,
      });

      expect(result).toMatchObject({ code: 0 });
      const output = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(output).toMatchObject({ provider: 'smartconnect', mock: true, username: SMARTCONNECT_DEMO_USER.username });
      const file = join(directory, 'sessions.json');
      expect(output.sessionFile).toBe(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(directory)).mode & 0o777).toBe(0o700);
      expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      const content = await readFile(file, 'utf8');
      const session = JSON.parse(content).sessions['smartconnect-mock'];
      expect(session.token.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(content).not.toContain(SMARTCONNECT_DEMO_USER.password);
      expect(content).not.toContain(SMARTCONNECT_DEMO_CLIENT.clientSecret);
    });
  });

  describe('when GRANTKIT_DEMO_MOCK=1 stands for --mock', () => {
    it('signs in to the mock all the same', async () => {
      const result = await runCli(['smartconnect', 'login', '--json'], home.path, {
        ...password,
        GRANTKIT_DEMO_MOCK: '1',
      });

      expect(result).toMatchObject({ code: 0 });
      expect(JSON.parse(result.stdout)).toMatchObject({ mock: true, username: SMARTCONNECT_DEMO_USER.username });
    });
  });

  describe('when the password is wrong', () => {
    it('exits 3 with one line naming invalid_grant and what to do, and stores nothing', async () => {
      const wrong = 'not-the-Password-42';
      const result = await runCli(['smartconnect', 'login', '--mock'], home.path, { SMARTCONNECT_PASSWORD: wrong });

      expect(result).toMatchObject({ code: 3 });
      const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('Error:'));
      expect(errorLines).toEqual([expect.stringContaining('invalid_grant')]);
      expect(errorLines[0]).toContain('Check the username and password');
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout + result.stderr).not.toContain(wrong);
      await expect(stat(join(home.path, 'sessions.json'))).rejects.toThrow('ENOENT');
    });

    it('prints the error as JSON with --json, and its stack only with --debug', async () => {
      const wrong = { SMARTCONNECT_PASSWORD: 'nope-nope' };
      const json = await runCli(['smartconnect', 'login', '--mock', '--json'], home.path, wrong);
      const debug = await runCli(['smartconnect', 'login', '--mock', '--debug'], home.path, wrong);

      expect(JSON.parse(json.stdout)).toMatchObject({
        error: { code: 'oauth_error', error: 'invalid_grant', exitCode: 3 },
      });
      expect(debug).toMatchObject({ code: 3 });
      expect(debug.stderr).toMatch(/^\s+at /m);
      expect(json.stdout + debug.stderr).not.toContain('nope-nope');
    });
  });

  describe('when no password is given and there is no terminal to ask on', () => {
    it('exits 2 and names SMARTCONNECT_PASSWORD', async () => {
      const result = await runCli(['smartconnect', 'login', '--mock'], home.path);

      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain('SMARTCONNECT_PASSWORD');
    });
  });

  describe('when --base-url is plain http on a public host', () => {
    it('exits 2 before sending anything, saying https is required', async () => {
      const result = await runCli(
        ['smartconnect', 'login', '--base-url', 'http://smartconnect.example.com'],
        home.path,
        {
          ...password,
          SMARTCONNECT_USERNAME: 'ada@example.com',
          SMARTCONNECT_CLIENT_ID: 'id',
          SMARTCONNECT_CLIENT_SECRET: 'secret-value-1',
        },
      );

      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain('https:');
      expect(result.stderr).not.toContain('secret-value-1');
    });
  });

  describe('when Ctrl-C comes while the token request is in flight', () => {
    it('cancels the request and exits 130', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      try {
        const cli = startCli(['smartconnect', 'login', '--base-url', `http://127.0.0.1:${port}`], home.path, {
          ...password,
          SMARTCONNECT_USERNAME: 'ada@example.com',
          SMARTCONNECT_CLIENT_ID: 'id',
          SMARTCONNECT_CLIENT_SECRET: 'secret',
        });
        await cli.waitForStderr(/Requesting a token/);
        cli.child.kill('SIGINT');
        const result = await cli.done;

        expect(result).toMatchObject({ code: 130 });
        expect(result.stderr).toContain('Error: Canceled.');
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  describe('when the password is given as an option', () => {
    it('refuses it as an unknown option (exit 2): a password never goes in argv', async () => {
      const result = await runCli(['smartconnect', 'login', '--mock', '--password', 'x'], home.path);

      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain("unknown option '--password'");
    });
  });
});

describe('grantkit-demo smartconnect call', () => {
  describe('after login --mock', () => {
    it('calls the API and prints its JSON', async () => {
      await runCli(['smartconnect', 'login', '--mock'], home.path, password);

      const result = await runCli(['smartconnect', 'call', 'GET', '/api/v1/contacts', '--mock', '--json'], home.path);

      expect(result).toMatchObject({ code: 0 });
      const output = JSON.parse(result.stdout) as { status: number; data: { name: string }[] };
      expect(output.status).toBe(200);
      expect(output.data.map((contact) => contact.name)).toContain('Ada Lovelace');
    });
  });

  describe('before any login', () => {
    it('exits 3 and says to log in first', async () => {
      const result = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me', '--mock'], home.path);

      expect(result).toMatchObject({ code: 3 });
      expect(result.stderr).toContain('pnpm -s cli smartconnect login --mock');
    });
  });

  describe('with a bad method or body', () => {
    it('exits 2 for an unknown method and for --data that is not JSON', async () => {
      const method = await runCli(['smartconnect', 'call', 'FETCH', 'api/v1/me'], home.path);
      const data = await runCli(['smartconnect', 'call', 'POST', 'api/v1/me', '--data', '{nope'], home.path);

      expect([method.code, data.code]).toEqual([2, 2]);
      expect(method.stderr).toContain('GET, HEAD, POST, PUT, PATCH, DELETE');
      expect(data.stderr).toContain('--data must be JSON');
    });
  });

  describe('against a SmartConnect given with --base-url', () => {
    let mock: MockSmartConnect;
    let server: ServedHandler;

    beforeAll(async () => {
      mock = createMockSmartConnect();
      server = await serveFetchHandler(mock);
    });

    afterAll(async () => {
      await server.close();
    });

    const credentials = {
      SMARTCONNECT_USERNAME: SMARTCONNECT_DEMO_USER.username,
      SMARTCONNECT_CLIENT_ID: SMARTCONNECT_DEMO_CLIENT.clientId,
      SMARTCONNECT_CLIENT_SECRET: SMARTCONNECT_DEMO_CLIENT.clientSecret,
    };

    it('uses the stored token without the password, and asks for a new login once it is refused', async () => {
      const login = await runCli(['smartconnect', 'login', '--base-url', server.url], home.path, {
        ...credentials,
        ...password,
      });
      expect(login).toMatchObject({ code: 0 });
      mock.resetStats();

      const stored = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me', '--json'], home.path);
      expect(stored).toMatchObject({ code: 0 });
      expect(JSON.parse(stored.stdout).data.username).toBe(SMARTCONNECT_DEMO_USER.username);
      expect(mock.stats.tokenRequests).toBe(0);

      mock.revokeAllTokens();
      const refused = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me'], home.path);
      expect(refused).toMatchObject({ code: 3 });
      expect(refused.stderr).toContain('run `pnpm -s cli smartconnect login` again');
    });

    it('exits 6 with the status when the API answers 404', async () => {
      await runCli(['smartconnect', 'login', '--base-url', server.url], home.path, { ...credentials, ...password });

      const result = await runCli(['smartconnect', 'call', 'GET', 'api/v1/contacts/999', '--json'], home.path);

      expect(result).toMatchObject({ code: 6 });
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'http_error', status: 404 } });
    });

    it('uses the saved token only with the credentials that obtained it', async () => {
      await runCli(['smartconnect', 'login', '--base-url', server.url], home.path, { ...credentials, ...password });
      const renewing = { ...credentials, ...password, SMARTCONNECT_BASE_URL: server.url };
      mock.resetStats();

      const first = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me'], home.path, renewing);
      const second = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me'], home.path, renewing);
      const afterSecond = mock.stats.tokenRequests;
      const wrong = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me', '--json'], home.path, {
        ...renewing,
        SMARTCONNECT_PASSWORD: 'not-the-password',
      });

      expect([first.code, second.code]).toEqual([0, 0]);
      expect(afterSecond).toBe(1);
      expect(wrong).toMatchObject({ code: 3 });
      expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'oauth_error', error: 'invalid_grant' } });
    });

    it('renews a refused token by itself when the password, client secret and host are in the environment', async () => {
      await runCli(['smartconnect', 'login', '--base-url', server.url], home.path, { ...credentials, ...password });
      const before = await readFile(join(home.path, 'sessions.json'), 'utf8');
      mock.revokeAllTokens();
      mock.resetStats();

      const result = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me', '--json'], home.path, {
        ...credentials,
        ...password,
        SMARTCONNECT_BASE_URL: server.url,
      });

      expect(result).toMatchObject({ code: 0 });
      expect(mock.stats.tokenRequests).toBe(1);
      const after = await readFile(join(home.path, 'sessions.json'), 'utf8');
      expect(JSON.parse(after).sessions.smartconnect.token.accessToken).not.toBe(
        JSON.parse(before).sessions.smartconnect.token.accessToken,
      );
      expect(after).not.toContain(SMARTCONNECT_DEMO_USER.password);
    });
  });
});

/** A host that records every request sent to it and answers 404: where a planted session would steer the CLI. */
async function startRecorder() {
  const requests: { method: string; url: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function plantedSession(baseUrl: string) {
  return {
    version: 1,
    sessions: {
      smartconnect: {
        baseUrl,
        username: 'ada@example.com',
        clientId: 'id',
        token: { accessToken: 'planted', tokenType: 'bearer', scope: '', expiresAt: Date.now() - 60_000 },
      },
    },
  };
}

describe('grantkit-demo smartconnect call with a sessions.json it must not trust', () => {
  const secrets = {
    SMARTCONNECT_PASSWORD: 'the-real-password',
    SMARTCONNECT_CLIENT_SECRET: 'the-real-client-secret',
  };

  it('refuses a home directory other users can write to, and sends nothing to the address planted there', async () => {
    const recorder = await startRecorder();
    try {
      await chmod(home.path, 0o777);
      await writeFile(join(home.path, 'sessions.json'), JSON.stringify(plantedSession(recorder.url)), { mode: 0o600 });

      const result = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me'], home.path, secrets);

      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain(`Refusing to use ${home.path}: other users can write to it`);
      expect(recorder.requests).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it('refuses a sessions.json other users can write to', async () => {
    const file = join(home.path, 'sessions.json');
    await writeFile(file, JSON.stringify(plantedSession('https://smartconnect.example.com')));
    await chmod(file, 0o622);

    const result = await runCli(['smartconnect', 'logout', '--json'], home.path);

    expect(result).toMatchObject({ code: 2 });
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'untrusted_file' } });
  });

  it('sends the password only to the host named in its own environment, never to the one in the file', async () => {
    const recorder = await startRecorder();
    const server = await serveFetchHandler(createMockSmartConnect());
    try {
      await writeFile(join(home.path, 'sessions.json'), JSON.stringify(plantedSession(recorder.url)), { mode: 0o600 });

      const named = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me', '--json'], home.path, {
        SMARTCONNECT_USERNAME: SMARTCONNECT_DEMO_USER.username,
        SMARTCONNECT_PASSWORD: SMARTCONNECT_DEMO_USER.password,
        SMARTCONNECT_CLIENT_ID: SMARTCONNECT_DEMO_CLIENT.clientId,
        SMARTCONNECT_CLIENT_SECRET: SMARTCONNECT_DEMO_CLIENT.clientSecret,
        SMARTCONNECT_BASE_URL: server.url,
      });
      const unnamed = await runCli(['smartconnect', 'call', 'GET', 'api/v1/me'], home.path, secrets);

      expect(named).toMatchObject({ code: 0 });
      expect(JSON.parse(named.stdout).data.username).toBe(SMARTCONNECT_DEMO_USER.username);
      expect(unnamed.stderr).toContain('Not renewing: name the host');
      expect(JSON.stringify(recorder.requests)).not.toMatch(/password|secret/);
      expect(recorder.requests.filter((request) => request.method === 'POST')).toEqual([]);
    } finally {
      await Promise.all([recorder.close(), server.close()]);
    }
  });
});

describe('grantkit-demo smartconnect logout', () => {
  it('deletes the stored token, and says so when there was none', async () => {
    await runCli(['smartconnect', 'login', '--mock'], home.path, password);

    const first = await runCli(['smartconnect', 'logout', '--mock', '--json'], home.path);
    const second = await runCli(['smartconnect', 'logout', '--mock'], home.path);

    expect(JSON.parse(first.stdout)).toMatchObject({ signedOut: true });
    expect(second.stdout).toContain('Not signed in to SmartConnect');
    await expect(stat(join(home.path, 'sessions.json'))).rejects.toThrow('ENOENT');
  });
});
