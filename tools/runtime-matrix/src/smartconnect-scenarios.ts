import { AccessToken } from '@grantkit/core';
import {
  createSmartConnectClient,
  type GrantKitEvent,
  isGrantKitError,
  NetworkError,
  OAuthError,
  requestPasswordToken,
  subscribe,
  TimeoutError,
} from '@grantkit/smartconnect';
import { SMARTCONNECT_CLIENT, SMARTCONNECT_USER, WRONG_PASSWORD } from './accounts.js';
import { check, checkEqual, rejection } from './check.js';
import {
  type MatrixContext,
  resetSmartConnectStats,
  revokeSmartConnectTokens,
  setSmartConnectTokenDelay,
  smartconnectStats,
} from './context.js';

export const credentials = { ...SMARTCONNECT_USER, ...SMARTCONNECT_CLIENT };

interface Me {
  username: string;
}

export async function passwordGrant(context: MatrixContext): Promise<void> {
  const token = await requestPasswordToken({ baseUrl: context.smartconnectUrl, credentials });
  check(token instanceof AccessToken, 'requestPasswordToken did not return an AccessToken');
  const me = await fetch(`${context.smartconnectUrl}/api/v1/me`, {
    headers: { authorization: token.authorizationHeader() },
  });
  checkEqual(me.status, 200, 'the API with the granted token');
  checkEqual(((await me.json()) as Me).username, SMARTCONNECT_USER.username, 'the signed-in user');
}

export async function singleFlight(context: MatrixContext): Promise<void> {
  const client = createSmartConnectClient({ baseUrl: context.smartconnectUrl, credentials });
  await resetSmartConnectStats(context);
  const answers = await Promise.all(Array.from({ length: 50 }, () => client.api.get('api/v1/me').json<Me>()));
  checkEqual([...new Set(answers.map((me) => me.username))], [SMARTCONNECT_USER.username], 'the users of 50 answers');
  const stats = await smartconnectStats(context);
  checkEqual(stats.tokenRequests, 1, 'token requests for 50 concurrent cold calls');
  checkEqual(stats.apiRequests, 50, 'API requests');
}

export async function renewalAfter401(context: MatrixContext): Promise<void> {
  const client = createSmartConnectClient({ baseUrl: context.smartconnectUrl, credentials });
  await client.api.get('api/v1/me').json();
  await revokeSmartConnectTokens(context);
  await resetSmartConnectStats(context);
  const me = await client.api.get('api/v1/me').json<Me>();
  checkEqual(me.username, SMARTCONNECT_USER.username, 'the call after the revocation');
  const stats = await smartconnectStats(context);
  checkEqual(
    [stats.apiUnauthorized, stats.tokenRequests, stats.apiRequests],
    [1, 1, 2],
    '[401s, token requests, API requests] of the renewed call',
  );
}

export async function wrongPassword(context: MatrixContext): Promise<void> {
  const wrong = { ...credentials, password: WRONG_PASSWORD };
  const error = await rejection(
    () => requestPasswordToken({ baseUrl: context.smartconnectUrl, credentials: wrong }),
    'a wrong password',
  );
  check(error instanceof OAuthError, `a wrong password rejected with ${String(error)}, not an OAuthError`);
  checkEqual(error.error, 'invalid_grant', 'the OAuth error code');
  check(isGrantKitError(error, 'oauth_error'), 'isGrantKitError(error, "oauth_error") is false');
  const client = createSmartConnectClient({ baseUrl: context.smartconnectUrl, credentials: wrong });
  const viaClient = await rejection(() => client.api.get('api/v1/me'), 'a client with a wrong password');
  check(
    isGrantKitError(viaClient, 'oauth_error') && viaClient.error === 'invalid_grant',
    `the client rejected with ${String(viaClient)}`,
  );
}

export async function timeoutAndUnreachable(context: MatrixContext): Promise<void> {
  await setSmartConnectTokenDelay(context, 1_000);
  try {
    const slow = await rejection(
      () => requestPasswordToken({ baseUrl: context.smartconnectUrl, credentials, timeout: 100 }),
      'a token endpoint slower than the timeout',
    );
    check(slow instanceof TimeoutError, `a slow token endpoint rejected with ${String(slow)}, not a TimeoutError`);
    check(isGrantKitError(slow, 'timeout'), 'isGrantKitError(slow, "timeout") is false');
  } finally {
    await setSmartConnectTokenDelay(context, 0);
  }
  const unreachable = await rejection(
    () => requestPasswordToken({ baseUrl: context.closedUrl, credentials }),
    'a server that is not listening',
  );
  check(
    unreachable instanceof NetworkError,
    `a server that is not listening rejected with ${String(unreachable)}, not a NetworkError`,
  );
  check(isGrantKitError(unreachable, 'network_error'), 'isGrantKitError(unreachable, "network_error") is false');
}

export async function eventsReachSubscribers(context: MatrixContext): Promise<void> {
  const events: GrantKitEvent[] = [];
  const unsubscribe = subscribe((event) => events.push(event));
  try {
    const client = createSmartConnectClient({ baseUrl: context.smartconnectUrl, credentials });
    await client.api.get('api/v1/me').json();
  } finally {
    unsubscribe();
  }
  const seen = (channel: string) => events.some((event) => event.channel === channel);
  check(seen('grantkit:token') && seen('grantkit:http'), `events seen: ${[...new Set(events.map((e) => e.channel))]}`);
  const shown = JSON.stringify(events);
  for (const secret of [credentials.password, credentials.clientSecret, credentials.username]) {
    check(!shown.includes(secret), 'an event carries a credential');
  }
}
