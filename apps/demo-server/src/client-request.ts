import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/**
 * What a request says about the browser that sent it. Behind a TLS-terminating
 * proxy (`trustProxy`), the proxy's `X-Forwarded-Proto` and the address it
 * appended last to `X-Forwarded-For` are believed; otherwise those headers are
 * ignored, since any client can send them.
 */
export interface ClientRequest {
  /** The origin the browser sees, such as `https://demo.example.com`. */
  origin: string;
  /** Whether the browser reached the app over HTTPS (so cookies get `Secure`). */
  secure: boolean;
  /** The client's address, for rate limits; `unknown` when there is no socket (in-process tests). */
  address: string;
}

function lastListed(header: string | undefined): string | undefined {
  const entries = header?.split(',').map((entry) => entry.trim());
  return entries?.[entries.length - 1] || undefined;
}

/** What `c`'s request says about its browser; see {@link ClientRequest}. */
export function clientRequest(c: Context, trustProxy: boolean): ClientRequest {
  const url = new URL(c.req.url);
  const forwardedProto = trustProxy ? lastListed(c.req.header('x-forwarded-proto'))?.toLowerCase() : undefined;
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? `${forwardedProto}:` : url.protocol;
  const socketAddress = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket?.remoteAddress;
  const forwardedFor = trustProxy ? lastListed(c.req.header('x-forwarded-for')) : undefined;
  return {
    origin: `${protocol}//${url.host}`,
    secure: protocol === 'https:',
    address: forwardedFor ?? socketAddress ?? 'unknown',
  };
}
