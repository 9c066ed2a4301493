import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { type LoopbackCallbackOptions, startLoopbackCallback } from './loopback-callback.js';

function options<T>(handle: (url: string) => Promise<T>, isFinal = false): LoopbackCallbackOptions<T> {
  return { handle, isFinal: () => isFinal, successMessage: () => 'done', failureMessage: () => 'refused' };
}

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

/** Sends a raw request head and returns the status line of the answer. */
function rawRequest(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    });
    socket.once('error', reject);
  });
}

describe('startLoopbackCallback', () => {
  it('redirects /start once to the authorization address, and ends the sign-in when it is opened again', async () => {
    const listener = await startLoopbackCallback(options(async (url) => url));
    try {
      expect((await fetch(listener.startUrl, { redirect: 'manual' })).status).toBe(404);
      listener.startAt('https://provider.example/authorize?state=s');

      const first = await fetch(listener.startUrl, { redirect: 'manual' });
      const second = await fetch(listener.startUrl, { redirect: 'manual' });

      expect(listener.startUrl).toBe(listener.redirectUri.replace(/callback$/, 'start'));
      expect(first.status).toBe(302);
      expect(first.headers.get('location')).toBe('https://provider.example/authorize?state=s');
      expect(second.status).toBe(410);
      await expect(listener.outcome).rejects.toMatchObject({ code: 'start_reused', exitCode: 5 });
    } finally {
      await listener.close();
    }
  });

  it('answers 400 to a request line it cannot parse, such as `GET http://[ HTTP/1.1`, and keeps running', async () => {
    const listener = await startLoopbackCallback(options(async (url) => url));
    try {
      const host = new URL(listener.redirectUri).host;
      const answer = await rawRequest(listener.redirectUri, `GET http://[ HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      const real = await post(listener.redirectUri, JSON.stringify({ fragment: 'state=s' }));

      expect(answer).toBe('HTTP/1.1 400 Bad Request');
      expect(real.status).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('listens on 127.0.0.1 at /callback and hands the first posted fragment over as a callback URL', async () => {
    const listener = await startLoopbackCallback(options(async (url) => url));
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
    const listener = await startLoopbackCallback(
      options(async () => {
        calls += 1;
      }),
    );
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

  it('answers 400 to a post its handler refuses, and keeps waiting for one it accepts', async () => {
    const listener = await startLoopbackCallback(
      options(async (url) => {
        if (!url.endsWith('state=right')) throw new TypeError('not this one');
        return url;
      }),
    );
    try {
      const junk = await post(listener.redirectUri, JSON.stringify({ fragment: 'access_token=x&state=wrong' }));
      const real = await post(listener.redirectUri, JSON.stringify({ fragment: 'access_token=a&state=right' }));

      expect(junk.status).toBe(400);
      expect(real.status).toBe(200);
      expect(await listener.outcome).toBe(`${listener.redirectUri}#access_token=a&state=right`);
    } finally {
      await listener.close();
    }
  });

  it('reports a final failure with the caller’s words, without the error’s details, and rejects its outcome', async () => {
    const listener = await startLoopbackCallback(
      options(async () => {
        throw new TypeError('token abc123 leaked');
      }, true),
    );
    try {
      const answer = await post(listener.redirectUri, JSON.stringify({ fragment: 'state=s' }));
      const body = (await answer.json()) as { ok: boolean; message: string };

      expect(body).toEqual({ ok: false, message: 'refused Return to the terminal.' });
      await expect(listener.outcome).rejects.toThrow('token abc123 leaked');
    } finally {
      await listener.close();
    }
  });

  it('stops listening once closed', async () => {
    const listener = await startLoopbackCallback(options(async () => undefined));
    await listener.close();

    await expect(fetch(listener.redirectUri)).rejects.toThrow();
  });
});
