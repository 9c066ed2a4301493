import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchWithNetworkErrors, isGrantKitError, toGrantKitError, withGrantKitErrors } from '@grantkit/core';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';

let server: ServedHandler | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function closedPortUrl(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('withGrantKitErrors', () => {
  it('makes a ky instance reject with HttpError, from the promise and from .json()', async () => {
    server = await serveFetchHandler(() => Response.json({ error: 'server_error', password: 'pw' }, { status: 500 }));
    const api = withGrantKitErrors(ky.create({ prefixUrl: server.url, retry: 0 }));
    const fromPromise = await api.get('x').catch((e: unknown) => e);
    const fromJson = await api
      .post('y')
      .json()
      .catch((e: unknown) => e);
    expect(fromPromise).toMatchObject({ code: 'http_error', status: 500, method: 'GET' });
    expect(fromJson).toMatchObject({ code: 'http_error', method: 'POST', body: { password: '[REDACTED]' } });
  });

  it('keeps the mapping on instances made with create() and extend(), and resolves successes untouched', async () => {
    server = await serveFetchHandler((request) =>
      new URL(request.url).pathname === '/ok' ? Response.json({ ok: true }) : new Response('gone', { status: 410 }),
    );
    const api = withGrantKitErrors(ky.create({ prefixUrl: server.url }));
    await expect(
      api
        .extend({ headers: { 'x-a': '1' } })
        .get('ok')
        .json(),
    ).resolves.toEqual({ ok: true });
    const created = api.create({ prefixUrl: server.url });
    await expect(created.get('gone')).rejects.toMatchObject({ code: 'http_error', status: 410, body: 'gone' });
  });

  it('reports the timeout the request was made with', async () => {
    server = await serveFetchHandler(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response('late')), 300)),
    );
    const api = withGrantKitErrors(ky.create({ prefixUrl: server.url, timeout: 10_000 }), { timeout: 10_000 });
    const error = await api.get('slow', { timeout: 40 }).catch((e: unknown) => e);
    expect(isGrantKitError(error, 'timeout') && error.timeoutMs).toBe(40);
  });
});

describe('fetchWithNetworkErrors', () => {
  it('turns a refused connection into NetworkError with the failure as cause', async () => {
    const url = await closedPortUrl();
    const error = await fetchWithNetworkErrors()(`${url}/token?client_secret=s3cr3t-value`).catch((e: unknown) => e);
    expect(isGrantKitError(error, 'network_error')).toBe(true);
    expect((error as Error).message).not.toContain('s3cr3t-value');
    expect((error as Error).cause).toMatchObject({ name: 'TypeError' });
  });

  it('lets an abort through untouched', async () => {
    server = await serveFetchHandler(() => new Promise<Response>(() => undefined));
    const controller = new AbortController();
    const pending = fetchWithNetworkErrors()(server.url, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets an abort with a custom reason through untouched', async () => {
    server = await serveFetchHandler(() => new Promise<Response>(() => undefined));
    const controller = new AbortController();
    const reason = new Error('the user cancelled');
    const pending = fetchWithNetworkErrors()(new Request(server.url, { signal: controller.signal }));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('toGrantKitError', () => {
  it('returns anything that is not a ky error as it is', async () => {
    const other = new RangeError('x');
    await expect(toGrantKitError(other, undefined)).resolves.toBe(other);
    await expect(toGrantKitError('text', undefined)).resolves.toBe('text');
  });
});
