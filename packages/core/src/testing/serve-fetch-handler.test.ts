import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';

let served: ServedHandler | undefined;

function kernelListenQueueLimit(): number {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')) || Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('serveFetchHandler', () => {
  it('serves the handler on 127.0.0.1 with method, path, query, headers and body passed through', async () => {
    served = await serveFetchHandler(async (request) => {
      const url = new URL(request.url);
      return Response.json(
        {
          method: request.method,
          path: url.pathname,
          query: url.searchParams.get('q'),
          header: request.headers.get('x-test'),
          body: request.method === 'POST' ? await request.text() : null,
        },
        { status: 201, headers: { 'x-answer': 'yes' } },
      );
    });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${served.url}/a/b?q=1`, {
      method: 'POST',
      headers: { 'x-test': 'hello' },
      body: 'grant_type=password',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    await expect(response.json()).resolves.toEqual({
      method: 'POST',
      path: '/a/b',
      query: '1',
      header: 'hello',
      body: 'grant_type=password',
    });
  });

  it('sends every Set-Cookie header and bodiless answers such as 204 and redirects', async () => {
    served = await serveFetchHandler((request) => {
      if (new URL(request.url).pathname === '/empty') return new Response(null, { status: 204 });
      const headers = new Headers({ location: '/next#access_token=x' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(null, { status: 302, headers });
    });
    const redirect = await fetch(`${served.url}/`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/next#access_token=x');
    expect(redirect.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const empty = await fetch(`${served.url}/empty`);
    expect(empty.status).toBe(204);
  });

  it('answers 500 when the handler throws or rejects, and keeps serving', async () => {
    let calls = 0;
    served = await serveFetchHandler((request) => {
      calls += 1;
      const path = new URL(request.url).pathname;
      if (path === '/throw') throw new Error('handler bug');
      if (path === '/reject') return Promise.reject(new Error('async handler bug'));
      return new Response('fine');
    });
    for (const path of ['/throw', '/reject']) {
      const response = await fetch(`${served.url}${path}`);
      expect(response.status).toBe(500);
      await expect(response.text()).resolves.toBe('Internal error in the served handler');
    }
    const after = await fetch(`${served.url}/ok`);
    await expect(after.text()).resolves.toBe('fine');
    expect(calls).toBe(3);
  });

  it('cancels the body stream of the answer when the client goes away', async () => {
    let cancelled!: () => void;
    const wasCancelled = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    served = await serveFetchHandler(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              controller.enqueue(new TextEncoder().encode('tick\n'));
            },
            cancel: () => cancelled(),
          }),
        ),
    );
    const controller = new AbortController();
    const response = await fetch(served.url, { signal: controller.signal });
    const reader = response.body?.getReader();
    await expect(reader?.read()).resolves.toMatchObject({ done: false });
    controller.abort();
    await expect(wasCancelled).resolves.toBeUndefined();
  });

  it('frees the port on close(), even with a kept-alive connection open', async () => {
    const first = await serveFetchHandler(() => new Response('first'));
    const port = Number(new URL(first.url).port);
    await (await fetch(first.url)).text();
    await first.close();
    await expect(fetch(first.url)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });

    served = await serveFetchHandler(() => new Response('second'), { port });
    expect(served.url).toBe(first.url);
    await expect((await fetch(served.url)).text()).resolves.toBe('second');
  });

  it('lets a burst of 1,000 connections through the handshake while its event loop is busy', async () => {
    served = await serveFetchHandler(() => new Response('ok'));
    // The kernel caps every listen queue at net.core.somaxconn (4,096 since Linux 5.4).
    const burst = Math.min(1_000, kernelListenQueueLimit());
    const folder = mkdtempSync(join(tmpdir(), 'grantkit-burst-'));
    const report = join(folder, 'connected');
    // Another process opens the connections and writes how many completed; this one stays busy meanwhile, so
    // only the kernel's listen queue can hold them. Node's default queue (511) would leave the rest waiting.
    const opener = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { connect } from 'node:net';
      import { writeFileSync } from 'node:fs';
      const [port, burst, report] = process.argv.slice(1);
      let connected = 0;
      for (let i = 0; i < Number(burst); i += 1) {
        connect(Number(port), '127.0.0.1')
          .on('connect', () => writeFileSync(report, String(++connected)))
          .on('error', () => undefined);
      }`,
      new URL(served.url).port,
      String(burst),
      report,
    ]);
    const connectedWhileBusy = () => {
      try {
        return Number(readFileSync(report, 'utf8'));
      } catch {
        return 0;
      }
    };
    const pause = new Int32Array(new SharedArrayBuffer(4));
    // Generous for a loaded machine; with the default queue the count stops at 512 however long it waits.
    const deadline = Date.now() + 15_000;
    while (connectedWhileBusy() < burst && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
    const connected = connectedWhileBusy();
    opener.kill();
    rmSync(folder, { recursive: true, force: true });
    expect(connected).toBe(burst);
  }, 30_000);
});
