import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GrantKitErrorCode } from '@grantkit/core';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';

/** One request as the fault server saw it. */
interface RecordedRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

/** How the fault server answers one request. */
export type Fault = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/** A node:http server on 127.0.0.1 that answers with whatever fault it is told to, and records every request. */
export interface FaultServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Answers every following request with `fault`. */
  respond(fault: Fault): void;
  /** Forgets the recorded requests. */
  clearRequests(): void;
  close(): Promise<void>;
}

// A fault that stalls runs into the short timeout; every other fault gets the patient one, so that a
// loaded machine cannot turn a reset or a cut body into a timeout.
export const STALL_TIMEOUT_MS = 400;
export const TIMEOUT_MS = 5_000;

/** One row of a fault table: the fault, the error code it must end in, and whether it stalls. */
export interface FaultCase {
  name: string;
  fault: () => Fault;
  code: GrantKitErrorCode;
  status?: number;
  /** Stalls for 5 s: run it with {@link STALL_TIMEOUT_MS}. */
  stalls?: true;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Starts a fault server; by default it answers `200 {"ok":true}`. */
export async function startFaultServer(): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: Fault = faults.json(200, { ok: true });
  const server = createServer((req, res) => {
    void (async () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: { ...req.headers },
        body: await readBody(req),
      };
      requests.push(recorded);
      await fault(recorded, res);
    })().catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      fault = next;
    },
    clearRequests() {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The two fault servers of a suite: `main` plays the provider, `other` a foreign host it may redirect to. */
export interface FaultServers {
  main: FaultServer;
  other: FaultServer;
}

/**
 * Starts the suite's two fault servers before its tests, clears what they recorded before each test and
 * closes them after. Read them inside tests: they exist once `beforeAll` has run.
 */
export function useFaultServers(): FaultServers {
  const servers = {} as FaultServers;
  beforeAll(async () => {
    [servers.main, servers.other] = await Promise.all([startFaultServer(), startFaultServer()]);
  });
  afterAll(async () => {
    await Promise.all([servers.main.close(), servers.other.close()]);
  });
  beforeEach(() => {
    servers.main.clearRequests();
    servers.other.clearRequests();
  });
  return servers;
}

/** The faults the suites inject. Each returns a {@link Fault}. */
export const faults = {
  json(status: number, body: unknown, headers: Record<string, string> = {}): Fault {
    return (_request, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
  },
  /** A status with a plain-text body, optionally with `Retry-After`. */
  status(status: number, retryAfter?: string): Fault {
    return (_request, res) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
      res.end(`status ${status}`);
    };
  },
  /** Waits `ms` before sending anything. */
  slowHeaders(ms: number, then: Fault = faults.json(200, { ok: true })): Fault {
    return async (request, res) => {
      await wait(ms);
      if (!res.destroyed) await then(request, res);
    };
  },
  /** Sends 200 headers and the first half of a JSON body, then stalls `ms` before the rest. */
  slowBody(ms: number, body: unknown = { ok: true }): Fault {
    return async (_request, res) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, text.length >> 1));
      await wait(ms);
      if (!res.destroyed) res.end(text.slice(text.length >> 1));
    };
  },
  /** Announces a body length, sends part of the body, then drops the connection. */
  cutBody(body: unknown = { ok: true }): Fault {
    return async (_request, res) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, text.length >> 1));
      await wait(20);
      res.socket?.destroy();
    };
  },
  /** An HTML error page where JSON was expected. */
  html(status = 200): Fault {
    return (_request, res) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
    };
  },
  /** An XML document, labelled as such, where JSON was expected. */
  wrongContentType(): Fault {
    return (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><result><ok>true</ok></result>');
    };
  },
  /** 200 with an empty body. */
  empty200(): Fault {
    return (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
      res.end();
    };
  },
  /** A redirect to `location` (another host in the suites). */
  redirect(location: string, status = 302): Fault {
    return (_request, res) => {
      res.writeHead(status, { location });
      res.end();
    };
  },
  /**
   * Echoes the request (path, headers, body) back with `status`, as a careless
   * server does: as RFC 6749 error JSON or as plain text.
   */
  echo(status: number, format: 'json' | 'text'): Fault {
    return (request, res) => {
      if (format === 'json') {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'invalid_request',
            error_description: `Could not process ${request.path} ${request.body}`,
            received: request,
          }),
        );
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(
        `Could not process ${request.method} ${request.path}\n${JSON.stringify(request.headers)}\n${request.body}`,
      );
    };
  },
  /** Resets the connection without answering. */
  reset(): Fault {
    return (_request, res) => {
      res.socket?.resetAndDestroy();
    };
  },
};

/** Answers by path: `routes[path]` when there is one, else `fallback`. */
export function byPath(routes: Record<string, Fault>, fallback: Fault): Fault {
  return (request, res) => (routes[request.path.split('?')[0] ?? ''] ?? fallback)(request, res);
}
