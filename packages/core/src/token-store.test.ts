import { AccessToken, MemoryTokenStore, type TokenStore } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

describe('MemoryTokenStore', () => {
  const token = new AccessToken({ value: 'token-a', scope: ['public'] });

  it('returns what was set under a key, and undefined for other keys', async () => {
    const store: TokenStore = new MemoryTokenStore();
    await store.set('alice', token);
    await expect(store.get('alice')).resolves.toBe(token);
    await expect(store.get('bob')).resolves.toBeUndefined();
  });

  it('replaces a token set again under the same key', async () => {
    const store = new MemoryTokenStore();
    const renewed = new AccessToken({ value: 'token-b' });
    await store.set('alice', token);
    await store.set('alice', renewed);
    await expect(store.get('alice')).resolves.toBe(renewed);
  });

  it('forgets a deleted key, and deleting an unknown key resolves', async () => {
    const store = new MemoryTokenStore();
    await store.set('alice', token);
    await store.delete('alice');
    await expect(store.get('alice')).resolves.toBeUndefined();
    await expect(store.delete('nobody')).resolves.toBeUndefined();
  });

  it('keeps separate stores apart', async () => {
    const one = new MemoryTokenStore();
    const two = new MemoryTokenStore();
    await one.set('alice', token);
    await expect(two.get('alice')).resolves.toBeUndefined();
  });
});
