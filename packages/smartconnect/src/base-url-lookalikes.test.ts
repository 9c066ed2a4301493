import { ConfigurationError } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, requestPasswordToken } from './index.js';
import { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };

const LOOKALIKES = [
  'http://127.0.0.1.evil.example',
  'http://127.0.0.1evil.example',
  'http://localhost.evil.example',
  'http://[::ffff:127.0.0.1]',
  'http://[::1].evil',
];

let server: ServedHandler;
beforeAll(async () => {
  server = await serveFetchHandler(createMockSmartConnect());
});
afterAll(async () => {
  await server.close();
});

describe('a SmartConnect baseUrl that only looks like loopback', () => {
  it.each(LOOKALIKES)('makes createSmartConnectClient throw ConfigurationError for %s', (baseUrl) => {
    expect(() => createSmartConnectClient({ baseUrl, credentials })).toThrow(ConfigurationError);
  });

  it('names the baseUrl option in the error', () => {
    expect(() => createSmartConnectClient({ baseUrl: LOOKALIKES[0] as string, credentials })).toThrow(
      /^`baseUrl` must use https: /,
    );
  });

  it.each(LOOKALIKES)('makes requestPasswordToken reject with ConfigurationError for %s', async (baseUrl) => {
    await expect(requestPasswordToken({ baseUrl, ...credentials })).rejects.toThrow(ConfigurationError);
  });
});

describe('a SmartConnect baseUrl that spells 127.0.0.1 another way', () => {
  const port = () => new URL(server.url).port;

  it.each([
    ['decimal', '2130706433'],
    ['hexadecimal', '0x7f000001'],
    ['octal', '0177.0.0.1'],
  ])('signs in over plain http to the %s form', async (_name, host) => {
    const token = await requestPasswordToken({ baseUrl: `http://${host}:${port()}`, ...credentials });
    expect(token.expose()).not.toBe('');
  });
});
