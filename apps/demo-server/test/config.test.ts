import { isGrantKitError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/config.js';

function refusal(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (error) {
    if (isGrantKitError(error, 'configuration_error')) return error.message;
    throw error;
  }
  throw new Error('readConfig accepted the environment');
}

describe('readConfig', () => {
  describe('with an empty environment', () => {
    it('listens on 127.0.0.1:3000 with both embedded mocks', () => {
      expect(readConfig({})).toMatchObject({
        host: '127.0.0.1',
        port: 3000,
        smartconnect: { provider: 'embedded', samplePath: 'api/v1/me' },
        smithcart: { provider: 'embedded' },
      });
    });
  });

  describe('with REDIS_URL', () => {
    it('keeps sessions in that Redis, with the key of GRANTKIT_TOKEN_KEY', () => {
      expect(readConfig({ REDIS_URL: 'redis://127.0.0.1:6379', GRANTKIT_TOKEN_KEY: 'k' }).redis).toEqual({
        url: 'redis://127.0.0.1:6379',
        tokenKey: 'k',
      });
    });

    it('keeps them in memory without it', () => {
      expect(readConfig({ GRANTKIT_TOKEN_KEY: 'k' }).redis).toBeUndefined();
    });

    it('refuses a REDIS_URL that is not a redis:// URL', () => {
      expect(refusal({ REDIS_URL: '127.0.0.1:6379' })).toBe(
        'REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.',
      );
    });
  });

  describe('with real providers', () => {
    it('reads the SmartConnect region and REST application registration', () => {
      const config = readConfig({
        SMARTCONNECT_REGION: 'EU',
        SMARTCONNECT_CLIENT_ID: 'id',
        SMARTCONNECT_CLIENT_SECRET: 'secret',
      });
      expect(config.smartconnect).toEqual({
        provider: 'real',
        target: { region: 'EU' },
        clientId: 'id',
        clientSecret: 'secret',
        samplePath: 'api/v1/me',
      });
    });

    it('reads the SmithCart base URL and client ID', () => {
      const config = readConfig({ SMITHCART_BASE_URL: 'https://api.example.com', SMITHCART_CLIENT_ID: 'Y2XP' });
      expect(config.smithcart).toEqual({ provider: 'real', baseUrl: 'https://api.example.com', clientId: 'Y2XP' });
    });

    it('names the missing client secret', () => {
      expect(refusal({ SMARTCONNECT_BASE_URL: 'https://sc.example.com', SMARTCONNECT_CLIENT_ID: 'id' })).toMatch(
        /^Set SMARTCONNECT_CLIENT_SECRET/,
      );
    });

    it('lists the regions when the region is unknown', () => {
      expect(refusal({ SMARTCONNECT_REGION: 'MARS' })).toContain('NA, NA2, NA3, UK, EU, EU2, AU');
    });

    it('refuses a region and a base URL together', () => {
      expect(refusal({ SMARTCONNECT_REGION: 'EU', SMARTCONNECT_BASE_URL: 'https://sc.example.com' })).toContain(
        'not both',
      );
    });
  });

  describe('HOST and PORT', () => {
    it('refuses a non-loopback host unless ALLOW_REMOTE=1', () => {
      expect(refusal({ HOST: '0.0.0.0' })).toContain('ALLOW_REMOTE=1');
      expect(readConfig({ HOST: '0.0.0.0', ALLOW_REMOTE: '1' }).host).toBe('0.0.0.0');
    });

    it.each(['-1', '65536', '80x', '1.5'])('refuses PORT=%s', (port) => {
      expect(refusal({ PORT: port })).toContain('PORT must be a whole number');
    });
  });

  describe('ALLOWED_HOSTS and TRUST_PROXY', () => {
    it('answers to the loopback names only by default, and does not trust a proxy', () => {
      expect(readConfig({})).toMatchObject({ allowedHosts: ['127.0.0.1', 'localhost', '[::1]'], trustProxy: false });
    });

    it('adds the names of ALLOWED_HOSTS in lower case, and a specific HOST but not a wildcard one', () => {
      const config = readConfig({ HOST: '0.0.0.0', ALLOW_REMOTE: '1', ALLOWED_HOSTS: 'Demo.Example.com, 192.0.2.4' });
      expect(config.allowedHosts).toEqual(['127.0.0.1', 'localhost', '[::1]', 'demo.example.com', '192.0.2.4']);
      expect(readConfig({ HOST: '192.0.2.9', ALLOW_REMOTE: '1' }).allowedHosts).toContain('192.0.2.9');
    });

    it('refuses a URL or a host with a port in ALLOWED_HOSTS', () => {
      expect(refusal({ ALLOWED_HOSTS: 'https://demo.example.com' })).toContain('without scheme or port');
      expect(refusal({ ALLOWED_HOSTS: 'demo.example.com:443' })).toContain('without scheme or port');
    });

    it('trusts a proxy with TRUST_PROXY=1', () => {
      expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    });
  });
});
