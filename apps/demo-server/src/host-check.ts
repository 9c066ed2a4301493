import type { MiddlewareHandler } from 'hono';

/**
 * Answers 403 to a request whose `Host` is not one of `allowed` (names in
 * lower case, IPv6 in brackets). Without it, a page on `evil.example` whose
 * name was rebound to 127.0.0.1 would be same-origin with the app, and pass
 * the CSRF check.
 */
export function hostCheck(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed);
  return async (c, next) => {
    if (!names.has(new URL(c.req.url).hostname)) {
      return c.text(
        `This demo answers only to ${[...names].join(', ')}. To reach it under another name, add that name to ALLOWED_HOSTS.`,
        403,
      );
    }
    await next();
  };
}
