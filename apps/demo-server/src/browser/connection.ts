import { AccessToken } from '@grantkit/core';

/** What the callback page hands to the home page: the token and what the user granted and denied. */
export interface Connection {
  token: AccessToken;
  granted: string;
  denied: string;
}

const KEY = 'grantkit-demo.smithcart.connection';

/** Keeps the connection for this tab only (sessionStorage), as the implicit grant's token lives in the browser. */
export function saveConnection(connection: Connection): void {
  sessionStorage.setItem(
    KEY,
    JSON.stringify({ token: connection.token.toStorage(), granted: connection.granted, denied: connection.denied }),
  );
}

/** The stored connection, or `undefined` when there is none or it is unreadable. */
export function loadConnection(): Connection | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Record<string, unknown> | null;
    if (!stored || typeof stored.granted !== 'string' || typeof stored.denied !== 'string') return undefined;
    return { token: AccessToken.fromStorage(stored.token), granted: stored.granted, denied: stored.denied };
  } catch {
    return undefined;
  }
}

export function forgetConnection(): void {
  sessionStorage.removeItem(KEY);
}
