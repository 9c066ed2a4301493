import { createSmartConnectClient, requestPasswordToken } from '@grantkit/smartconnect';
import {
  authorizeInPopup,
  createSmithCartSession,
  handleCallback,
  isGrantKitError,
  type SmithCartScope,
} from '@grantkit/smithcart';
import { SMARTCONNECT_CLIENT, SMARTCONNECT_USER, WRONG_PASSWORD } from './accounts.js';
import { check, rejection } from './check.js';
import type { MatrixContext } from './context.js';
import { credentials } from './smartconnect-scenarios.js';
import { signIn } from './smithcart-scenarios.js';

/** Every way a value reaches a log: this runtime's inspectors, JSON, String, and an error's stack. */
function views(value: unknown, context: MatrixContext): Record<string, string> {
  const shown: Record<string, string> = { String: String(value), JSON: JSON.stringify(value) ?? '' };
  for (const [name, inspect] of Object.entries(context.inspectors)) shown[name] = inspect(value);
  if (value instanceof Error) shown.stack = String(value.stack);
  return shown;
}

/** The forms a secret takes in a URL, a form body or JSON. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
}

export async function secretsStayHidden(context: MatrixContext): Promise<void> {
  const token = await requestPasswordToken({ baseUrl: context.smartconnectUrl, credentials });
  const smartconnectToken = token.authorizationHeader().replace(/^Bearer /i, '');
  const client = createSmartConnectClient({ baseUrl: context.smartconnectUrl, credentials });
  await client.api.get('api/v1/me');
  const notFound = await rejection(() => client.api.get('api/v1/nothing-here'), 'a 404 of the API');
  check(isGrantKitError(notFound, 'http_error'), `a 404 of the API rejected with ${String(notFound)}`);
  const wrongPassword = await rejection(
    () =>
      requestPasswordToken({
        baseUrl: context.smartconnectUrl,
        credentials: { ...credentials, password: WRONG_PASSWORD },
      }),
    'a wrong password',
  );
  const smithcart = await signIn(context, ['private']);
  const replayed = new URL('http://127.0.0.1:8976/callback');
  replayed.hash = new URLSearchParams({
    access_token: smithcart.raw,
    token_type: 'bearer',
    state: 'unknown',
  }).toString();
  const stateMismatch = await rejection(() => handleCallback(replayed.href), 'an unknown state');

  const secrets: Record<string, string> = {
    'the password': SMARTCONNECT_USER.password,
    'the wrong password': WRONG_PASSWORD,
    'the client secret': SMARTCONNECT_CLIENT.clientSecret,
    'the SmartConnect token': smartconnectToken,
    'the SmithCart token': smithcart.raw,
  };
  const subjects: Record<string, unknown> = {
    'the SmartConnect token': token,
    'the SmartConnect client': client,
    "the client's token": await client.getToken(),
    'the wrong-password OAuthError': wrongPassword,
    "the API's 404 HttpError": notFound,
    'the SmithCart token': smithcart.token,
    'the StateMismatchError': stateMismatch,
  };
  const leaks: string[] = [];
  for (const [subject, value] of Object.entries(subjects)) {
    for (const [view, text] of Object.entries(views(value, context))) {
      for (const [secret, value] of Object.entries(secrets)) {
        if (forms(value).some((form) => text.includes(form))) leaks.push(`${view} of ${subject} shows ${secret}`);
      }
    }
  }
  check(leaks.length === 0, leaks.join('; '));
}

/** Features that need a browser answer elsewhere with a typed error, not a crash. */
export async function browserOnlyFeaturesFailTyped(context: MatrixContext): Promise<void> {
  const options = {
    baseUrl: context.smithcartUrl,
    clientId: 'Y2XPZW50Q31A',
    redirectUri: 'http://127.0.0.1:8976/callback',
    scope: ['private'] as SmithCartScope[],
  };
  const popup = await rejection(() => authorizeInPopup(options), 'authorizeInPopup outside a browser');
  check(isGrantKitError(popup, 'configuration_error'), `authorizeInPopup rejected with ${String(popup)}`);
  if (typeof BroadcastChannel !== 'function') {
    const session = await rejection(() => createSmithCartSession(options), 'createSmithCartSession');
    check(isGrantKitError(session, 'configuration_error'), `createSmithCartSession rejected with ${String(session)}`);
  }
}
