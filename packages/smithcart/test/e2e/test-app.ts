import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createMockSmithCart, type MockSmithCart } from '@grantkit/smithcart/testing';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

// ?no-locks hides the Web Locks API before the app's module runs, so a test can take the BroadcastChannel election.
const HIDE_LOCKS =
  "<script>if (new URLSearchParams(location.search).has('no-locks')) Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });</script>";

const page = (script: string, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>grantkit e2e</title>${HIDE_LOCKS}</head><body>${body}<script type="module" src="/${script}.js"></script></body></html>`;

const APP_BODY =
  '<p id="status">starting</p><p id="result"></p><button id="connect">Connect</button><button id="popup">Popup</button><button id="signout">Sign out</button>';

/** The test app and the SmithCart mock on one 127.0.0.1 origin, with a count of consent pages shown. */
export interface TestApp {
  server: ServedHandler;
  mock: MockSmithCart;
  /** How many times the consent page was served (GET /oauth2/authorize). */
  consentPages(): number;
}

/** Bundles the page from the package source with esbuild and serves it beside the SmithCart mock. */
export async function startTestApp(): Promise<TestApp> {
  const bundled = await build({
    entryPoints: { app: join(here, 'page/app.ts'), 'popup-callback': join(here, 'page/popup-callback.ts') },
    outdir: '/',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    // The workspace packages from source (their @grantkit/source export condition), so no build is needed.
    conditions: ['@grantkit/source'],
  });
  const scripts = new Map(bundled.outputFiles.map((file) => [file.path, file.text]));
  const mock = createMockSmithCart({
    clients: [
      {
        clientId: 'grantkit-e2e',
        name: 'grantkit e2e',
        redirectUris: ['http://127.0.0.1/app.html?flow=redirect', 'http://127.0.0.1/popup-callback.html'],
      },
    ],
  });
  let consent = 0;
  const server = await serveFetchHandler(async (request) => {
    const { pathname } = new URL(request.url);
    const html = (text: string) => new Response(text, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    if (pathname === '/app.html') return html(page('app', APP_BODY));
    if (pathname === '/popup-callback.html') return html(page('popup-callback'));
    const script = scripts.get(pathname);
    if (script !== undefined) return new Response(script, { headers: { 'content-type': 'text/javascript' } });
    if (pathname === '/oauth2/authorize' && request.method === 'GET') consent += 1;
    return mock(request);
  });
  return { server, mock, consentPages: () => consent };
}
