import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeHome, runCli } from './support/cli.js';

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
    expect(result.stdout).toContain('$ grantkit-demo smithcart login --mock --no-open');
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
