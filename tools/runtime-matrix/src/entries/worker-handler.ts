import type { Inspector } from '../context.js';
import { runScenarios } from '../run-scenarios.js';

interface Env {
  SMARTCONNECT_URL: string;
  SMITHCART_URL: string;
  CLOSED_URL: string;
}

/**
 * A Worker module whose fetch handler runs the scenarios named in the request's JSON body and answers the
 * report; the mocks' URLs come as bindings.
 */
export function matrixWorker(inspectors: Readonly<Record<string, Inspector>>): ExportedHandler<Env> {
  return {
    async fetch(request, env) {
      const { scenarios } = (await request.json()) as { scenarios: string[] };
      const context = {
        smartconnectUrl: env.SMARTCONNECT_URL,
        smithcartUrl: env.SMITHCART_URL,
        closedUrl: env.CLOSED_URL,
        inspectors,
      };
      return Response.json(await runScenarios(context, scenarios));
    },
  };
}

// The one member of @cloudflare/workers-types used here.
interface ExportedHandler<E> {
  fetch(request: Request, env: E): Promise<Response>;
}
