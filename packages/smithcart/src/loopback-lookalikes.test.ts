import { AccessToken, ConfigurationError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createAuthorizationRequest, createSmithCartClient, MemoryStateStore } from './index.js';

const LOOKALIKES = [
  'http://127.0.0.1.evil.example/callback',
  'http://127.0.0.1evil.example/callback',
  'http://localhost.evil.example/callback',
  'http://[::ffff:127.0.0.1]/callback',
  'http://[::1].evil/callback',
];

const authorize = (overrides: { baseUrl?: string; redirectUri?: string }) =>
  createAuthorizationRequest({
    baseUrl: 'https://api.example.com',
    clientId: 'Y2XPZW50Q31A',
    redirectUri: 'https://www.example.com/callback.html',
    scope: 'public',
    stateStore: new MemoryStateStore(),
    ...overrides,
  });

describe('SmithCart URLs that only look like loopback', () => {
  it.each(LOOKALIKES)('make createAuthorizationRequest reject a redirectUri of %s', async (redirectUri) => {
    await expect(authorize({ redirectUri })).rejects.toThrow(ConfigurationError);
  });

  it.each(LOOKALIKES)('make createAuthorizationRequest reject a baseUrl of %s', async (baseUrl) => {
    await expect(authorize({ baseUrl })).rejects.toThrow(ConfigurationError);
  });

  it.each(LOOKALIKES)('make createSmithCartClient throw for a baseUrl of %s', (baseUrl) => {
    const token = new AccessToken({ value: 'at', scope: ['public'] });
    expect(() => createSmithCartClient({ baseUrl, token })).toThrow(ConfigurationError);
  });

  it('accept the decimal form of 127.0.0.1 as the loopback redirect URI it is', async () => {
    const { url } = await authorize({ redirectUri: 'http://2130706433:8080/callback' });
    expect(new URL(url).searchParams.get('redirect_uri')).toBe('http://2130706433:8080/callback');
  });
});
