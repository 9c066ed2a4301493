import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Writes the whole answer to one request. */
export type Answer = (res: ServerResponse) => void;

const open = new Set<() => Promise<void>>();

/**
 * A node:http server on 127.0.0.1 that answers every request with `answer` and counts them: for faults that a
 * fetch handler cannot produce (stalled or cut bodies). Close them all with {@link closeAnsweringServers}.
 */
export async function serveAnswers(answer: Answer): Promise<{ url: string; seen: { requests: number } }> {
  const sockets = new Set<Socket>();
  const seen = { requests: 0 };
  const server = createServer((_req, res) => {
    seen.requests += 1;
    answer(res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

export async function closeAnsweringServers(): Promise<void> {
  const closing = [...open].map((close) => close());
  open.clear();
  await Promise.all(closing);
}
