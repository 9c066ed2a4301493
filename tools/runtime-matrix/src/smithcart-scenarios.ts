import {
  type AccessToken,
  createAuthorizationRequest,
  createSmithCartClient,
  HttpError,
  handleCallback,
  isGrantKitError,
  type SmithCartScope,
  StateMismatchError,
} from '@grantkit/smithcart';
import { SMITHCART_PAGE_SIZE } from './accounts.js';
import { check, checkEqual, rejection } from './check.js';
import { consentInABrowser } from './consent-in-a-browser.js';
import type { MatrixContext } from './context.js';

// Registered for the mock's demo client; a loopback redirect URI matches on any port (RFC 8252 §7.3).
const CLIENT_ID = 'Y2XPZW50Q31A';
const REDIRECT_URI = 'http://127.0.0.1:8976/callback';

async function authorize(context: MatrixContext, scope: SmithCartScope[], keep?: string[]) {
  const request = await createAuthorizationRequest({
    baseUrl: context.smithcartUrl,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scope,
  });
  const location = await consentInABrowser(request.url, keep ? { decision: 'approve', keep } : { decision: 'approve' });
  return { request, location };
}

/** A token for the REST scenarios, through the whole implicit grant. */
export async function signIn(
  context: MatrixContext,
  scope: SmithCartScope[],
): Promise<{ token: AccessToken; raw: string }> {
  const { location } = await authorize(context, scope);
  const { token } = await handleCallback(location);
  const raw = new URLSearchParams(new URL(location).hash.slice(1)).get('access_token');
  check(raw, 'the callback carries no access_token');
  return { token, raw };
}

export async function authorizationAndCallback(context: MatrixContext): Promise<void> {
  const { request, location } = await authorize(context, ['private', 'orders']);
  const url = new URL(request.url);
  checkEqual(url.origin + url.pathname, `${context.smithcartUrl}/oauth2/authorize`, 'the authorize endpoint');
  checkEqual(url.searchParams.get('response_type'), 'token', 'response_type');
  checkEqual(url.searchParams.get('state'), request.state, 'the state in the URL');
  check(location.startsWith(`${REDIRECT_URI}#`), `the consent redirected to ${location.split('#')[0]}`);
  const { token, granted, denied } = await handleCallback(location);
  checkEqual(granted.toString(), 'private orders', 'granted');
  checkEqual(denied.toString(), '', 'denied');
  check(token.scope.toString() === 'private orders', 'the token scope');
}

export async function forgedAndReusedState(context: MatrixContext): Promise<void> {
  const { location } = await authorize(context, ['private']);
  const forged = new URL(location);
  const fragment = new URLSearchParams(forged.hash.slice(1));
  fragment.set('state', 'forged-by-an-attacker');
  forged.hash = fragment.toString();
  const forgery = await rejection(() => handleCallback(forged.href), 'a forged state');
  check(forgery instanceof StateMismatchError, `a forged state rejected with ${String(forgery)}`);
  check(isGrantKitError(forgery, 'state_mismatch'), 'isGrantKitError(forgery, "state_mismatch") is false');
  await handleCallback(location);
  const replay = await rejection(() => handleCallback(location), 'a reused state');
  check(replay instanceof StateMismatchError, `a reused state rejected with ${String(replay)}`);
}

export async function partialConsent(context: MatrixContext): Promise<void> {
  const { location } = await authorize(context, ['private', 'orders', 'delete'], ['private']);
  const { token, granted, denied } = await handleCallback(location);
  checkEqual(granted.toString(), 'private', 'granted');
  checkEqual(denied.toString(), 'orders delete', 'denied');
  checkEqual(token.scope.toString(), 'private', 'the token scope');
}

interface Customer {
  id: number;
  name: string;
}

export async function restClient(context: MatrixContext): Promise<void> {
  const { token } = await signIn(context, ['private', 'orders', 'create', 'delete']);
  const smithcart = createSmithCartClient({ baseUrl: context.smithcartUrl, token });
  const me = await smithcart.get<{ username: string }>('/users/me.json');
  checkEqual(me.username, 'ada', 'GET /users/me.json');
  const customers = smithcart.userPath('me', 'customers.json');
  const first = await smithcart.list<Customer>(customers);
  checkEqual(first.items.length, SMITHCART_PAGE_SIZE, 'items of the first page');
  check(first.next !== undefined && first.prev === undefined, 'the first page links to a next page only');
  let orders = 0;
  let pages = 0;
  for await (const page of smithcart.paginate(smithcart.userPath('me', 'orders.json'))) {
    pages += 1;
    orders += page.items.length;
  }
  checkEqual([orders, pages], [30, 30 / SMITHCART_PAGE_SIZE], '[orders, pages] through paginate');
  const created = await smithcart.create<Customer>(customers, { name: 'Ada Byron', email: 'byron@example.com' });
  checkEqual(created.data.name, 'Ada Byron', 'the created customer');
  check(created.location.startsWith(context.smithcartUrl), `the Location ${created.location}`);
  checkEqual((await smithcart.get<Customer>(created.location)).id, created.data.id, 'GET of the Location');
  await smithcart.delete(created.location);
  const gone = await rejection(() => smithcart.get(created.location), 'GET of a deleted customer');
  check(gone instanceof HttpError && gone.status === 404, `GET of a deleted customer rejected with ${String(gone)}`);
}
