import { type FetchHandler, type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import { createMockSmartConnect, type MockSmartConnect } from '@grantkit/smartconnect/testing';
import { createMockSmithCart } from '@grantkit/smithcart/testing';
import { SMARTCONNECT_CLIENT, SMARTCONNECT_USER, SMITHCART_PAGE_SIZE } from '../src/accounts.js';

/** The two mocks of one runtime's run, fresh, on 127.0.0.1. */
export interface ServedMocks {
  smartconnectUrl: string;
  smithcartUrl: string;
  /** A loopback URL where nothing listens any more. */
  closedUrl: string;
  close(): Promise<void>;
}

/** The SmartConnect mock, plus `/_matrix/…` so that a scenario in another runtime reads its counters and revokes. */
function withControls(mock: MockSmartConnect): FetchHandler {
  return (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/_matrix/stats') return Response.json(mock.stats);
    if (path === '/_matrix/reset-stats' && request.method === 'POST') {
      mock.resetStats();
      return Response.json({});
    }
    if (path === '/_matrix/token-delay' && request.method === 'POST') {
      mock.setTokenDelay(Number(new URL(request.url).searchParams.get('ms')));
      return Response.json({});
    }
    if (path === '/_matrix/revoke-tokens' && request.method === 'POST') {
      mock.revokeAllTokens();
      return Response.json({});
    }
    return mock(request);
  };
}

export async function serveMocks(): Promise<ServedMocks> {
  const smartconnect = createMockSmartConnect({ users: [SMARTCONNECT_USER], clients: [SMARTCONNECT_CLIENT] });
  const served: ServedHandler[] = await Promise.all([
    serveFetchHandler(withControls(smartconnect)),
    serveFetchHandler(createMockSmithCart({ pageSize: SMITHCART_PAGE_SIZE })),
  ]);
  const [smartconnectServer, smithcartServer] = served as [ServedHandler, ServedHandler];
  const closed = await serveFetchHandler(() => new Response(null));
  await closed.close();
  return {
    closedUrl: closed.url,
    smartconnectUrl: smartconnectServer.url,
    smithcartUrl: smithcartServer.url,
    close: async () => {
      await Promise.all(served.map((server) => server.close()));
    },
  };
}
