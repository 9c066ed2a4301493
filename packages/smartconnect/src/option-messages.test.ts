import { ConfigurationError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, requestPasswordToken, type SmartConnectClientOptions } from './index.js';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const baseUrl = 'https://smartconnect.example.com';
const create = (options: object) => () =>
  createSmartConnectClient({ baseUrl, credentials, ...options } as unknown as SmartConnectClientOptions);

describe('what the errors of a wrong option say', () => {
  it('names tokenRetry.maxDelayMs when it is negative', () => {
    expect(create({ tokenRetry: { maxDelayMs: -1 } })).toThrow('`tokenRetry.maxDelayMs` must be a finite number ≥ 0.');
  });

  it('says why it refuses to run in a browser', () => {
    const globals = globalThis as { window?: unknown; document?: unknown };
    globals.window = {};
    globals.document = {};
    try {
      expect(create({})).toThrow(/^SmartConnect password-grant code is running in a browser, where every visitor/);
    } finally {
      delete globals.window;
      delete globals.document;
    }
  });

  it('suggests nothing for a region that is unknown in any case', () => {
    expect(create({ baseUrl: undefined, region: 'MARS' })).toThrow(
      new ConfigurationError(
        'Unknown SmartConnect region; use one of NA, NA2, NA3, UK, EU, EU2, AU, or pass `baseUrl` for another host.',
      ),
    );
  });

  it('lists the regions when neither region nor baseUrl is given', () => {
    expect(create({ baseUrl: undefined })).toThrow(
      'Pass `region` (one of NA, NA2, NA3, UK, EU, EU2, AU) or `baseUrl`.',
    );
  });

  it('tells requestPasswordToken callers to pass the credentials once', async () => {
    const options = { baseUrl, credentials, password: credentials.password };
    await expect(requestPasswordToken(options as never)).rejects.toThrow(
      'Pass the credentials once: as `credentials: { … }`, not also as flat options.',
    );
  });

  it('names credentials.password for requestPasswordToken when it is empty', async () => {
    await expect(requestPasswordToken({ baseUrl, credentials: { ...credentials, password: '' } })).rejects.toThrow(
      /^`credentials\.password` is missing or empty/,
    );
  });
});
