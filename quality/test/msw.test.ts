import { createSmartConnectClient } from '@grantkit/smartconnect';
import {
  createMockSmartConnect,
  SMARTCONNECT_DEMO_CLIENT,
  SMARTCONNECT_DEMO_USER,
} from '@grantkit/smartconnect/testing';
import { createAuthorizationRequest, createSmithCartClient, handleCallback } from '@grantkit/smithcart';
import { createMockSmithCart, SMITHCART_DEMO_CLIENT } from '@grantkit/smithcart/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

// The mocks are fetch handlers, so an existing msw setup mounts them with one `http.all` each and the
// clients run unchanged against the real hosts they would call in production.
const SMITHCART_API = 'https://shop.smithcart.example';
const smartconnectMock = createMockSmartConnect();
const smithcartMock = createMockSmithCart();
const server = setupServer(
  http.all('https://apina.smartconnect.com/*', ({ request }) => smartconnectMock(request)),
  http.all(`${SMITHCART_API}/*`, ({ request }) => smithcartMock(request)),
);

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('the mock providers mounted in msw', () => {
  it("stand in for SmartConnect's NA region: password grant, then Bearer on the API", async () => {
    const { username, password } = SMARTCONNECT_DEMO_USER;
    const { clientId, clientSecret } = SMARTCONNECT_DEMO_CLIENT;
    const smartconnect = createSmartConnectClient({
      region: 'NA',
      credentials: { username, password, clientId, clientSecret },
    });

    const me = await smartconnect.api.get('api/v1/me').json<{ username: string }>();

    expect(me.username).toBe(username);
    expect(smartconnectMock.stats.tokenRequests).toBe(1);
  });

  it("stand in for SmithCart: consent, callback, then the user's private orders", async () => {
    const { url } = await createAuthorizationRequest({
      baseUrl: SMITHCART_API,
      clientId: SMITHCART_DEMO_CLIENT.clientId,
      redirectUri: 'https://www.example.com/callback.html',
      scope: ['private', 'orders'],
    });
    const { token, denied } = await handleCallback(smithcartMock.consent(url));
    const smithcart = createSmithCartClient({ baseUrl: SMITHCART_API, token });

    const page = await smithcart.list(smithcart.userPath('me', 'orders.json'));

    expect(denied.toString()).toBe('');
    expect(page.items.length).toBeGreaterThan(0);
  });

  it("let a test override one route while the mock serves the rest (msw's server.use)", async () => {
    server.use(http.get(`${SMITHCART_API}/users/me.json`, () => HttpResponse.json({ error: 'down' }, { status: 503 })));
    const issued = smithcartMock.issueToken({ username: 'ada', scope: 'private' });
    const fragment = new URLSearchParams({ ...issued, expires_in: String(issued.expires_in), state: 's' });
    const { token } = await handleCallback(`https://www.example.com/callback.html#${fragment}`, { expectedState: 's' });
    const smithcart = createSmithCartClient({ baseUrl: SMITHCART_API, token });

    await expect(smithcart.get('/users/me.json')).rejects.toMatchObject({ code: 'http_error', status: 503 });
  });
});
