import type { MockSmithCart } from '@grantkit/smithcart/testing';

/** A mock provider served on 127.0.0.1 for the lifetime of one command. */
interface RunningMock {
  url: string;
  close(): Promise<void>;
}

/** The mock SmartConnect and the demo account it knows. */
export interface RunningMockSmartConnect extends RunningMock {
  demo: { username: string; password: string; clientId: string; clientSecret: string };
}

/** The mock SmithCart and its demo application. */
export interface RunningMockSmithCart extends RunningMock {
  mock: MockSmithCart;
  demo: { clientId: string; username: string };
}

// The testing entry points are loaded only with --mock, so a real sign-in never loads them.

/** Starts `@grantkit/smartconnect/testing`'s mock with its demo user and client. */
export async function startMockSmartConnect(): Promise<RunningMockSmartConnect> {
  const [{ serveFetchHandler }, { createMockSmartConnect, SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER }] =
    await Promise.all([import('@grantkit/core/testing'), import('@grantkit/smartconnect/testing')]);
  const server = await serveFetchHandler(createMockSmartConnect({ includeExpiresIn: true }));
  return {
    url: server.url,
    close: () => server.close(),
    demo: {
      username: SMARTCONNECT_DEMO_USER.username,
      password: SMARTCONNECT_DEMO_USER.password,
      clientId: SMARTCONNECT_DEMO_CLIENT.clientId,
      clientSecret: SMARTCONNECT_DEMO_CLIENT.clientSecret,
    },
  };
}

/** Starts `@grantkit/smithcart/testing`'s mock with its demo client, users and orders. */
export async function startMockSmithCart(): Promise<RunningMockSmithCart> {
  const [{ serveFetchHandler }, { createMockSmithCart, SMITHCART_DEMO_CLIENT, SMITHCART_DEMO_USER }] =
    await Promise.all([import('@grantkit/core/testing'), import('@grantkit/smithcart/testing')]);
  const mock = createMockSmithCart();
  const server = await serveFetchHandler(mock);
  return {
    url: server.url,
    mock,
    close: () => server.close(),
    demo: { clientId: SMITHCART_DEMO_CLIENT.clientId, username: SMITHCART_DEMO_USER.username },
  };
}
