// The test page: a tiny app that uses the session and the popup flow, driven by the e2e tests.
import {
  authorizeInPopup,
  type CallbackEvent,
  createSmithCartSession,
  isGrantKitError,
  subscribe,
} from '@grantkit/smithcart';

const params = new URLSearchParams(location.search);
const flow = params.get('flow') === 'popup' ? 'popup' : 'redirect';
const common = { baseUrl: location.origin, clientId: 'grantkit-e2e', scope: ['private', 'orders'] } as const;
const popupCallback = `${location.origin}/popup-callback.html`;
const session = createSmithCartSession({
  ...common,
  redirectUri: flow === 'popup' ? popupCallback : `${location.origin}/app.html?flow=redirect`,
  flow,
  askTimeout: 300,
  // ?skew=… makes the token count as expired that many ms early, so a test can outlive it.
  ...(params.has('skew') ? { expirySkew: Number(params.get('skew')) } : {}),
});

const status = document.getElementById('status') as HTMLElement;
const result = document.getElementById('result') as HTMLElement;
const show = () => {
  const token = session.token;
  status.textContent = token ? `signed in: ${token.scope}` : 'signed out';
};
session.subscribe(show);

const describe = (error: unknown): string => {
  if (isGrantKitError(error, 'oauth_error')) return `error: ${error.code} ${error.error}`;
  return isGrantKitError(error) ? `error: ${error.code}` : `error: ${String(error)}`;
};

/** The grantkit:callback events of this tab, as an app's telemetry would see them. */
const callbackEvents: CallbackEvent[] = [];
subscribe('grantkit:callback', (event) => callbackEvents.push(event));

/** Messages that look like a popup callback, whoever sent them: the forged-message test checks one arrived. */
const seen: string[] = [];
addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'grantkit.smithcart.popup-callback') seen.push(event.origin);
});

const e2e = {
  getToken(): Promise<string> {
    return session.getToken().then(
      (token) => `token: ${token.scope}`,
      (error: unknown) => describe(error),
    );
  },
  popup(): Promise<string> {
    return authorizeInPopup({
      ...common,
      redirectUri: popupCallback,
      timeout: Number(params.get('timeout')) || 60_000,
    }).then(
      ({ granted, denied }) => `granted: ${granted} | denied: ${denied}`,
      (error: unknown) => describe(error),
    );
  },
  signOut: () => session.signOut(),
  seen,
  callbackEvents,
};
(globalThis as unknown as { e2e: typeof e2e }).e2e = e2e;

const report = (promise: Promise<string>) => {
  result.textContent = 'waiting';
  void promise.then((text) => {
    result.textContent = text;
  });
};
(document.getElementById('connect') as HTMLElement).onclick = () => report(e2e.getToken());
(document.getElementById('popup') as HTMLElement).onclick = () => report(e2e.popup());
(document.getElementById('signout') as HTMLElement).onclick = () => e2e.signOut();

show();
// Started at load, outside any click: the browser's popup blocker refuses it.
if (params.has('popup-at-load')) report(e2e.popup());
session.completeRedirect().then(
  (completed) => {
    if (completed) result.textContent = `token: ${completed.granted}`;
    status.dataset.ready = 'true';
  },
  (error: unknown) => {
    result.textContent = describe(error);
    status.dataset.ready = 'true';
  },
);
