import { serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { makeHome, runCli } from './support/cli.js';

// Clear the screen, set the window title, turn the text red, and return to the start of the line.
const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\u001b[31mSigned in as root\r\u009b1A\u202eevil';

let home: Awaited<ReturnType<typeof makeHome>>;

beforeEach(async () => {
  home = await makeHome();
});

afterEach(async () => {
  await home.remove();
});

describe('grantkit-demo printing what a provider sent', () => {
  it('strips control characters from human output, and keeps them exact with --json', async () => {
    const mock = createMockSmartConnect();
    const server = await serveFetchHandler((request) =>
      new URL(request.url).pathname === '/api/v1/notes'
        ? new Response(HOSTILE, { headers: { 'content-type': 'text/plain' } })
        : mock(request),
    );
    const env = {
      SMARTCONNECT_USERNAME: SMARTCONNECT_DEMO_USER.username,
      SMARTCONNECT_PASSWORD: SMARTCONNECT_DEMO_USER.password,
      SMARTCONNECT_CLIENT_ID: SMARTCONNECT_DEMO_CLIENT.clientId,
      SMARTCONNECT_CLIENT_SECRET: SMARTCONNECT_DEMO_CLIENT.clientSecret,
    };
    try {
      expect(await runCli(['smartconnect', 'login', '--base-url', server.url], home.path, env)).toMatchObject({
        code: 0,
      });

      const human = await runCli(['smartconnect', 'call', 'GET', 'api/v1/notes'], home.path);
      const json = await runCli(['smartconnect', 'call', 'GET', 'api/v1/notes', '--json'], home.path);

      expect(human).toMatchObject({ code: 0, stdout: '[2J]0;pwned[31mSigned in as root1Aevil\n' });
      expect(JSON.parse(json.stdout)).toEqual({ status: 200, data: HOSTILE });
    } finally {
      await server.close();
    }
  });
});
