import { ConfigurationError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, type SmartConnectClientOptions } from './index.js';

describe('the credentials option of createSmartConnectClient', () => {
  it.each([
    ['null', null],
    ['a string', 'user:password'],
  ])('when it is %s, names it and what it must hold', (_name, credentials) => {
    const create = () =>
      createSmartConnectClient({
        baseUrl: 'https://smartconnect.example.com',
        credentials,
      } as unknown as SmartConnectClientOptions);
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(
      new ConfigurationError('Pass `credentials` with username, password, clientId and clientSecret.'),
    );
  });
});
