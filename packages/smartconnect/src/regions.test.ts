import { isGrantKitError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, SMARTCONNECT_REGIONS, tokenEndpoint } from './index.js';

const credentials = { username: 'u@example.com', password: 'pw-1234', clientId: 'client', clientSecret: 'secret-1234' };

describe('SMARTCONNECT_REGIONS', () => {
  it('lists the seven regions of the SmartConnect authentication guide with their hosts', () => {
    expect(SMARTCONNECT_REGIONS).toEqual({
      NA: 'https://apina.smartconnect.com',
      NA2: 'https://apina2.smartconnect.com',
      NA3: 'https://apina3.smartconnect.com',
      UK: 'https://apieuk.smartconnect.com',
      EU: 'https://apieuw.smartconnect.com',
      EU2: 'https://apieuw2.smartconnect.com',
      AU: 'https://apiau.smartconnect.com',
    });
  });
});

describe('tokenEndpoint', () => {
  it.each([
    ['NA', 'https://apina.smartconnect.com/token'],
    ['NA2', 'https://apina2.smartconnect.com/token'],
    ['NA3', 'https://apina3.smartconnect.com/token'],
    ['UK', 'https://apieuk.smartconnect.com/token'],
    ['EU', 'https://apieuw.smartconnect.com/token'],
    ['EU2', 'https://apieuw2.smartconnect.com/token'],
    ['AU', 'https://apiau.smartconnect.com/token'],
  ] as const)('gives %s the documented endpoint %s', (region, endpoint) => {
    expect(tokenEndpoint(region)).toBe(endpoint);
  });

  describe('when the region is unknown', () => {
    it('throws ConfigurationError listing the known regions and suggesting the right case', () => {
      const attempt = () => tokenEndpoint('eu' as never);
      expect(attempt).toThrow(/NA, NA2, NA3, UK, EU, EU2, AU/);
      expect(attempt).toThrow(/Did you mean "EU"\?/);
      try {
        attempt();
      } catch (error) {
        expect(isGrantKitError(error, 'configuration_error')).toBe(true);
      }
    });
  });
});

describe('createSmartConnectClient target', () => {
  const configurationError = (options: Record<string, unknown>) => {
    try {
      createSmartConnectClient({ credentials, ...options } as never);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('accepts a region or an https base URL or a loopback http base URL', () => {
    expect(configurationError({ region: 'AU' })).toBeUndefined();
    expect(configurationError({ baseUrl: 'https://smartconnect.internal.example/proxy' })).toBeUndefined();
    expect(configurationError({ baseUrl: 'http://127.0.0.1:8080' })).toBeUndefined();
    expect(configurationError({ baseUrl: 'http://localhost:8080' })).toBeUndefined();
    expect(configurationError({ baseUrl: 'http://[::1]:8080' })).toBeUndefined();
  });

  it.each([
    ['a plain http base URL on a public host', { baseUrl: 'http://apina.smartconnect.com' }, /https:/],
    ['both a region and a base URL', { region: 'NA', baseUrl: 'https://x.example' }, /either `region` or `baseUrl`/],
    ['neither a region nor a base URL', {}, /Pass `region`/],
    ['a base URL with a query', { baseUrl: 'https://x.example/?a=1' }, /query or a fragment/],
    ['a base URL with credentials', { baseUrl: 'https://user:pw@x.example/' }, /credentials/],
    ['a base URL that is not a URL', { baseUrl: 'apina.smartconnect.com' }, /absolute URL/],
  ])('refuses %s with ConfigurationError', (_name, options, message) => {
    const error = configurationError(options);
    expect(isGrantKitError(error, 'configuration_error')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
