import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { afterEach } from '@jest/globals';

const servers: ServedHandler[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Serves `handler` on 127.0.0.1 until the current test ends; resolves with its URL. */
export async function serve(handler: (request: Request) => Promise<Response>): Promise<string> {
  const server = await serveFetchHandler(handler);
  servers.push(server);
  return server.url;
}
