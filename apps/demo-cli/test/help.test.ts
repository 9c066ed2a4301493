import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeHome, runCli, startCli } from './support/cli.js';

let home: Awaited<ReturnType<typeof makeHome>>;

beforeAll(async () => {
  home = await makeHome();
});

afterAll(async () => {
  await home.remove();
});

describe('grantkit-demo --help', () => {
  it('exits 0 with examples, the environment variables and every exit code', async () => {
    const result = await runCli(['--help'], home.path);

    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('SMARTCONNECT_PASSWORD');
    for (const code of ['0', '1', '2', '3', '4', '5'])
      expect(result.stdout).toMatch(new RegExp(`^ {2}${code} +\\w`, 'm'));
  });

  it('shows an example on each command, such as smithcart login', async () => {
    const result = await runCli(['smithcart', 'login', '--help'], home.path);

    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('--no-open');
    expect(result.stdout).toContain('$ pnpm -s cli smithcart login --mock --no-open');
  });
});

describe('grantkit-demo with a usage error', () => {
  it('exits 2 for an unknown command or a bad option value', async () => {
    const command = await runCli(['smartconnect', 'signin'], home.path);
    const timeout = await runCli(['smithcart', 'login', '--mock', '--no-open', '--timeout', 'soon'], home.path);

    expect(command).toMatchObject({ code: 2 });
    expect(timeout).toMatchObject({ code: 2 });
    expect(timeout.stderr).toContain('--timeout must be a positive number');
  });

  it('exits 2 for an unknown region before anything is sent, listing the regions', async () => {
    const result = await runCli(['smartconnect', 'login', '--region', 'mars'], home.path, {
      SMARTCONNECT_USERNAME: 'ada@example.com',
      SMARTCONNECT_PASSWORD: 'pw',
      SMARTCONNECT_CLIENT_ID: 'id',
      SMARTCONNECT_CLIENT_SECRET: 'secret',
    });

    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain('use one of NA, NA2, NA3, UK, EU, EU2, AU');
    expect(result.stderr).not.toContain('Requesting a token');
  });
});

describe('grantkit-demo run as `pnpm start -- …`', () => {
  it('ignores the leading `--` that pnpm passes along', async () => {
    const result = await runCli(['--', 'smithcart', 'logout', '--mock', '--json'], home.path);

    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toEqual({ provider: 'smithcart', mock: true, signedOut: false });
  });
});

describe('grantkit-demo <provider> <command> --help', () => {
  it('lists the options every command takes: --json, --mock and --debug', async () => {
    const result = await runCli(['smithcart', 'login', '--help'], home.path);

    expect(result).toMatchObject({ code: 0 });
    for (const option of ['--json', '--mock', '--debug']) expect(result.stdout).toContain(option);
  });
});

describe('the documented way to run it', () => {
  it('is the help’s own `| jq` example, run from the repository root, which prints only JSON on stdout', async () => {
    const help = await runCli(['--help'], home.path);
    const example = help.stdout.match(/^ {2}\$ (.+?) \| jq /m)?.[1];
    expect(example).toBe('pnpm -s cli smithcart orders --all --json --mock');

    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('sh', ['-c', example as string], {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
        env: { PATH: process.env.PATH ?? '', HOME: home.path, GRANTKIT_DEMO_HOME: home.path },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout }));
    });

    // Not signed in: exit 3, and still nothing on stdout but the JSON document (no pnpm header, no ELIFECYCLE).
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'not_signed_in', exitCode: 3 } });
  }, 120_000);
});

describe('grantkit-demo with an insecure --base-url', () => {
  it('names --base-url (not the library’s baseUrl) for SmithCart and SmartConnect, and exits 2', async () => {
    const smithcart = await runCli(
      ['smithcart', 'login', '--base-url', 'http://example.com', '--client-id', 'id', '--no-open'],
      home.path,
    );
    const smartconnect = await runCli(['smartconnect', 'login', '--base-url', 'http://example.com'], home.path, {
      SMARTCONNECT_USERNAME: 'ada@example.com',
      SMARTCONNECT_PASSWORD: 'pw',
      SMARTCONNECT_CLIENT_ID: 'id',
      SMARTCONNECT_CLIENT_SECRET: 'secret',
    });

    for (const result of [smithcart, smartconnect]) {
      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain('Error: --base-url must use https:');
      expect(result.stderr).not.toContain('baseUrl');
    }
  });
});

describe('grantkit-demo logout without --mock after a mock login', () => {
  it('says it is not signed in, and that adding --mock signs out of the mock', async () => {
    const token = { accessToken: 'a.b.c', tokenType: 'bearer', scope: 'private', expiresAt: Date.now() + 60_000 };
    const sessions = {
      'smithcart-mock': { username: 'ada', token },
      'smartconnect-mock': { username: 'demo@example.com', clientId: 'id', token },
    };
    await writeFile(join(home.path, 'sessions.json'), JSON.stringify({ version: 1, sessions }), { mode: 0o600 });

    const smithcart = await runCli(['smithcart', 'logout'], home.path);
    const smartconnect = await runCli(['smartconnect', 'logout'], home.path);

    expect(smithcart.stdout).toContain('Not signed in to SmithCart; nothing to do.');
    expect(smithcart.stdout).toContain('You are signed in to the SmithCart mock; add --mock to sign out of it.');
    expect(smartconnect.stdout).toContain('You are signed in to the SmartConnect mock; add --mock to sign out of it.');
  });
});

describe('grantkit-demo piped into a reader that stops early (`| head -1`)', () => {
  it('exits quietly, without an EPIPE stack trace', async () => {
    const cli = startCli(['--help'], home.path);
    cli.child.stdout?.destroy();

    const result = await cli.done;

    expect(result.stderr).not.toContain('EPIPE');
    expect(result.code).toBe(0);
  });
});
