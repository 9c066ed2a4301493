/** One way a runtime prints a value for people: `node:util`'s inspect, `Deno.inspect`, `Bun.inspect`. */
export type Inspector = (value: unknown) => string;

/** What a runtime's entry hands the scenarios. */
export interface MatrixContext {
  /** The SmartConnect mock, served by the host on 127.0.0.1. */
  smartconnectUrl: string;
  /** The SmithCart mock, served by the host on 127.0.0.1. */
  smithcartUrl: string;
  /** A loopback URL where nothing listens. */
  closedUrl: string;
  /** This runtime's own ways to inspect a value, by name. */
  inspectors: Readonly<Record<string, Inspector>>;
}

/** The host's mocks answer `/_matrix/…` with their counters and controls (see test/serve-mocks.ts). */
export interface SmartConnectStats {
  tokenRequests: number;
  apiRequests: number;
  apiUnauthorized: number;
}

async function control<T>(baseUrl: string, action: string): Promise<T> {
  const response = await fetch(`${baseUrl}/_matrix/${action}`, { method: action === 'stats' ? 'GET' : 'POST' });
  if (!response.ok) throw new Error(`the mock's /_matrix/${action} answered ${response.status}`);
  return (await response.json()) as T;
}

export const smartconnectStats = (context: MatrixContext): Promise<SmartConnectStats> =>
  control(context.smartconnectUrl, 'stats');
export const resetSmartConnectStats = (context: MatrixContext): Promise<unknown> =>
  control(context.smartconnectUrl, 'reset-stats');
export const revokeSmartConnectTokens = (context: MatrixContext): Promise<unknown> =>
  control(context.smartconnectUrl, 'revoke-tokens');
export const setSmartConnectTokenDelay = (context: MatrixContext, ms: number): Promise<unknown> =>
  control(context.smartconnectUrl, `token-delay?ms=${ms}`);
