import type { MiddlewareHandler } from 'hono';

/** Origins besides the app's own that pages may talk to. */
export interface SecurityHeadersOptions {
  /** Origins the browser code calls with `fetch` (the SmithCart API). */
  connectOrigins?: readonly string[];
}

/**
 * The Content-Security-Policy of every page: scripts and styles only from
 * files on this origin (no inline code), no framing, no plugins, forms and
 * `<base>` locked to this origin.
 */
function contentSecurityPolicy(options: SecurityHeadersOptions = {}): string {
  const connect = ["'self'", ...(options.connectOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Sets strict security headers on every response, errors and 404s included. */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const policy = contentSecurityPolicy(options);
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('content-security-policy', policy);
    headers.set('referrer-policy', 'no-referrer');
    headers.set('x-content-type-options', 'nosniff');
    headers.set('x-frame-options', 'DENY');
    headers.set('cross-origin-opener-policy', 'same-origin');
    headers.set('cross-origin-resource-policy', 'same-origin');
    headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  };
}
