import type { MiddlewareHandler } from 'hono';

/** Receives one line per request. */
export type LogLine = (line: string) => void;

/**
 * Logs `METHOD /path STATUS DURATIONms` once a response is ready. Only the
 * path: the query and fragment can carry tokens, codes or e-mail addresses;
 * bodies and headers are never read.
 */
export function requestLogger(log: LogLine, label = ''): MiddlewareHandler {
  const prefix = label ? `[${label}] ` : '';
  return async (c, next) => {
    const started = performance.now();
    await next();
    const path = new URL(c.req.url).pathname;
    log(`${prefix}${c.req.method} ${path} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  };
}
