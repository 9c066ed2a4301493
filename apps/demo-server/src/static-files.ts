import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handler } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// No `.map`: source maps are not served. Flat names only: no directories, so nothing outside the folder can be named.
const SAFE_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)+$/;

/**
 * Serves one file of `directory`, named by the route's `:file` parameter or
 * by `fixedName`. Unknown names, dot files and other types get 404.
 */
export function staticFile(directory: string, fixedName?: string): Handler {
  return async (c) => {
    const name = fixedName ?? c.req.param('file') ?? '';
    const extension = name.slice(name.lastIndexOf('.'));
    const type = TYPES[extension];
    if (!SAFE_NAME.test(name) || type === undefined) return c.notFound();
    let body: Buffer;
    try {
      body = await readFile(join(directory, name));
    } catch {
      return c.notFound();
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'no-cache' });
  };
}
