// The mock SmartConnect of the fleet suites, served on 127.0.0.1, counting who asked for tokens and what it issued.
import { type ServedHandler, serveFetchHandler } from '@grantkit/core/testing';
import {
  createMockSmartConnect,
  type MockSmartConnect,
  type MockSmartConnectOptions,
} from '@grantkit/smartconnect/testing';

export interface Provider {
  mock: MockSmartConnect;
  url: string;
  /** Every access token the mock issued. */
  issued: string[];
  /** Which instance sent each token request, in order of arrival. */
  tokenRequesters: string[];
  /** Awaited as each token request arrives, before the mock answers it. */
  onTokenRequest?: (worker: string) => unknown;
  close(): Promise<void>;
}

export async function serveProvider(options: MockSmartConnectOptions = {}): Promise<Provider> {
  const mock = createMockSmartConnect(options);
  let served: ServedHandler | undefined;
  const provider: Provider = {
    mock,
    url: '',
    issued: [],
    tokenRequesters: [],
    close: async () => served?.close(),
  };
  served = await serveFetchHandler(async (request) => {
    const isToken = new URL(request.url).pathname === '/token';
    if (isToken) {
      const worker = request.headers.get('x-fleet-worker') ?? '?';
      provider.tokenRequesters.push(worker);
      await provider.onTokenRequest?.(worker);
    }
    const response = await mock(request);
    if (isToken && response.ok) {
      const { access_token } = (await response.clone().json()) as { access_token: string };
      provider.issued.push(access_token);
    }
    return response;
  });
  provider.url = served.url;
  return provider;
}
