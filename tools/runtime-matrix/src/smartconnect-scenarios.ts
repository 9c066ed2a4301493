import { AccessToken } from '@grantkit/core';
import { createSmartConnectClient, isGrantKitError, OAuthError, requestPasswordToken } from '@grantkit/smartconnect';
import { SMARTCONNECT_CLIENT, SMARTCONNECT_USER, WRONG_PASSWORD } from './accounts.js';
import { check, checkEqual, rejection } from './check.js';
import { type MatrixContext, resetSmartConnectStats, revokeSmartConnectTokens, smartconnectStats } from './context.js';

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
