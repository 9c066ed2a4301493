import { fileURLToPath } from 'node:url';
import { serveFetchHandler } from '@grantkit/core/testing';
import { createMockSmartConnect } from '@grantkit/smartconnect/testing';
import { describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/config.js';
import { startDemoServer } from '../src/start-demo-server.js';

const publicDir = fileURLToPath(new URL('../src/public/', import.meta.url));

function signIn(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/smartconnect/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username, password }),
  });
}

describe('startDemoServer', () => {
  describe('with no provider in the environment', () => {
    it('serves both mocks on their own loopback ports, with security headers and path-only logs', async () => {
      const log: string[] = [];
      const server = await startDemoServer({
        config: readConfig({ PORT: '0' }),
        publicDir,
        log: (line) => log.push(line),
      });
      try {
        expect(server.smartconnect.target).toEqual({ baseUrl: server.mocks?.smartconnect.url });
        expect(server.smithcart.baseUrl).toBe(server.mocks?.smithcart.url);
        for (const url of [
          `${server.mocks?.smartconnect.url}/nowhere`,
          `${server.mocks?.smithcart.url}/users/me.json`,
        ]) {
          const response = await fetch(`${url}?access_token=in-query`);
          await response.body?.cancel();
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
          expect(response.headers.get('referrer-policy')).toBe('no-referrer');
          expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        }
        const home = await fetch(`${server.url}/`);
        expect(await home.text()).toContain(`data-base-url="${server.mocks?.smithcart.url}"`);

        const signedIn = await signIn(server.url, 'demo@example.com', 'demo-password');
        expect(signedIn.status).toBe(303);
        const lines = log.join('\n');
        expect(lines).toMatch(/^\[smartconnect mock\] POST \/token 200 \d+ms$/m);
        expect(lines).toMatch(/^\[smithcart mock\] GET \/users\/me\.json 401 \d+ms$/m);
        expect(lines).toMatch(/^POST \/smartconnect\/sign-in 303 \d+ms$/m);
        expect(lines).not.toMatch(/in-query|demo-password|demo-client-secret|eyJ/);
      } finally {
        await server.close();
      }
    });
  });

  describe('with SMARTCONNECT_BASE_URL and a client in the environment', () => {
    it('signs in against that host with that client, not the embedded mock', async () => {
      const provider = createMockSmartConnect({
        clients: [{ clientId: 'real-client', clientSecret: 'real-secret' }],
        users: [{ username: 'someone@example.com', password: 'their-password' }],
      });
      const real = await serveFetchHandler(provider);
      const server = await startDemoServer({
        config: readConfig({
          PORT: '0',
          SMARTCONNECT_BASE_URL: real.url,
          SMARTCONNECT_CLIENT_ID: 'real-client',
          SMARTCONNECT_CLIENT_SECRET: 'real-secret',
        }),
        publicDir,
        log: () => {},
      });
      try {
        expect((await signIn(server.url, 'someone@example.com', 'their-password')).status).toBe(303);
        expect(provider.stats.tokensIssued).toBe(1);
        expect(server.mocks?.smartconnect.mock.stats.tokenRequests).toBe(0);
        const page = await (await fetch(`${server.url}/`)).text();
        expect(page).not.toContain('Demo account');
        expect(page).not.toContain('real-secret');
      } finally {
        await server.close();
        await real.close();
      }
    });
  });

  describe('with HOST=0.0.0.0 and ALLOW_REMOTE=1', () => {
    it('keeps the mocks on loopback, and signing in works', async () => {
      const server = await startDemoServer({
        config: readConfig({ HOST: '0.0.0.0', ALLOW_REMOTE: '1', PORT: '0' }),
        publicDir,
        log: () => {},
      });
      try {
        const loopback = server.url.replace('0.0.0.0', '127.0.0.1');
        const signedIn = await signIn(loopback, 'demo@example.com', 'demo-password');
        expect(signedIn.status).toBe(303);
        expect(signedIn.headers.get('location')).toBe('/');
        expect(signedIn.headers.getSetCookie().join()).toMatch(/^grantkit_demo_session=/);
        expect(server.mocks?.smartconnect.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(server.mocks?.smithcart.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        // The banner's URL is one this machine's browser can open.
        expect(server.url).toBe(loopback);
      } finally {
        await server.close();
      }
    });
  });

  describe('close()', () => {
    it('frees the port', async () => {
      const server = await startDemoServer({ config: readConfig({ PORT: '0' }), publicDir, log: () => {} });
      await server.close();
      await expect(fetch(`${server.url}/`)).rejects.toThrow();
    });
  });
});
