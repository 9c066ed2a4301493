import { ConfigurationError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmartConnectClient, type SmartConnectClientOptions } from './index.js';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const credentials = { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT };
const create = (target: object) => () =>
  createSmartConnectClient({ ...target, credentials } as unknown as SmartConnectClientOptions);

describe('the errors of a wrong region or baseUrl', () => {
  it('suggests the region in capitals for a region in small letters', () => {
    expect(create({ region: 'na' })).toThrow(/ Did you mean "NA"\?$/);
  });

  it('says what baseUrl must be when it is a number', () => {
    expect(create({ baseUrl: 42 })).toThrow(
      new ConfigurationError('`baseUrl` must be a string or a URL, such as https://smartconnect.example.com.'),
    );
  });
});
