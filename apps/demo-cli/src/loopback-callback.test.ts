import { request } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { startLoopbackCallback } from './loopback-callback.js';

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** A GET with a Host header of our choosing, which fetch does not allow. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

describe('startLoopbackCallback', () => {
  it('listens on 127.0.0.1 at /callback and hands the first posted fragment over as a callback URL', async () => {
    const listener = await startLoopbackCallback({ handle: async (url) => url, successMessage: () => 'done' });
    try {
      const answer = await post(listener.redirectUri, JSON.stringify({ fragment: 'access_token=a&state=s' }));

      expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(await answer.json()).toEqual({ ok: true, message: 'done' });
      expect(await listener.outcome).toBe(`${listener.redirectUri}#access_token=a&state=s`);
      const again = await post(listener.redirectUri, JSON.stringify({ fragment: 'access_token=b&state=t' }));
      expect(again.status).toBe(410);
    } finally {
      await listener.close();
    }
  });

  it('refuses another Host (DNS rebinding), a body that is not JSON, and an oversized body, and keeps waiting', async () => {
    let calls = 0;
    const listener = await startLoopbackCallback({
      handle: async () => {
        calls += 1;
      },
      successMessage: () => 'done',
    });
    try {
      expect(await getWithHost(listener.redirectUri, 'evil.example:80')).toBe(421);
      expect((await post(listener.redirectUri, 'fragment=x', { 'content-type': 'text/plain' })).status).toBe(403);
      expect((await post(listener.redirectUri, '{"fragment": 1}')).status).toBe(400);
      expect((await post(listener.redirectUri, JSON.stringify({ fragment: 'x'.repeat(20_000) }))).status).toBe(400);
      expect(calls).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('reports the handler’s failure to the page without the error’s details, and rejects its outcome', async () => {
    const listener = await startLoopbackCallback({
      handle: async () => {
        throw new TypeError('token abc123 leaked');
      },
      successMessage: () => 'done',
    });
    try {
      const answer = await post(listener.redirectUri, JSON.stringify({ fragment: 'state=s' }));
      const body = (await answer.json()) as { ok: boolean; message: string };

      expect(body.ok).toBe(false);
      expect(body.message).not.toContain('abc123');
      await expect(listener.outcome).rejects.toThrow('token abc123 leaked');
    } finally {
      await listener.close();
    }
  });

  it('stops listening once closed', async () => {
    const listener = await startLoopbackCallback({ handle: async () => undefined, successMessage: () => 'done' });
    await listener.close();

    await expect(fetch(listener.redirectUri)).rejects.toThrow();
  });
});
