// A bare node:http API for the throughput benchmark, run in its own process so that the
// client's CPU figures are the client's alone. Answers 200 {"ok":true} to a Bearer request, 401 otherwise.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ ok: true });
const server = createServer((req, res) => {
  const authorized = req.headers.authorization?.startsWith('Bearer ') === true;
  res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('disconnect', () => process.exit(0));
