import { createHash } from 'node:crypto';
import { AccessToken, MemoryTokenStore } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';

/** A store that only records the keys it is asked for, and holds a token so that nothing is sent. */
class KeyRecordingStore extends MemoryTokenStore {
  readonly keys: string[] = [];
  override async get(key: string): Promise<AccessToken | undefined> {
    this.keys.push(key);
    return new AccessToken({ value: 'stored', expiresAt: Date.now() + 3_600_000 });
  }
}

describe('the token-store key of createSmartConnectClient', () => {
  it('stays the documented digest, so tokens stored by an earlier version are found', async () => {
    const credentials = { username: 'user@example.com', password: 'pw', clientId: 'client-0', clientSecret: 'secret' };
    const tokenStore = new KeyRecordingStore();
    const client = createSmartConnectClient({
      baseUrl: 'https://smartconnect.example.com',
      credentials,
      tokenStore,
    });
    await client.getToken();
    const input = JSON.stringify([
      'grantkit/smartconnect token-store key v1',
      'https://smartconnect.example.com/',
      'client-0',
      'secret',
      'user@example.com',
      'pw',
    ]);
    // This digest has both "+" and "/" in base64, so the base64url alphabet shows too.
    expect(createHash('sha256').update(input).digest('base64')).toBe('/IAaVY3Cqx8w+uiv/uMseq0BlVmVjTyxMOcGaX5xA+o=');
    expect(tokenStore.keys).toEqual([`smartconnect:${createHash('sha256').update(input).digest('base64url')}`]);
  });
});
