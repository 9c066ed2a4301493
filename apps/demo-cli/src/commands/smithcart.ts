import { AccessToken, isGrantKitError, TokenExpiredError } from '@grantkit/core';
import {
  createAuthorizationRequest,
  createSmithCartClient,
  handleCallback,
  type SmithCartClient,
  userPath,
} from '@grantkit/smithcart';
import open from 'open';
import { CliError } from '../cli-error.js';
import { type CommandContext, usageError } from '../context.js';
import { describeExpiry, expiryJson } from '../describe-token.js';
import { reportError } from '../error-report.js';
import { ExitCode } from '../exit-codes.js';
import { RUN } from '../invocation.js';
import { LoginStateStore } from '../login-state-store.js';
import { startLoopbackCallback } from '../loopback-callback.js';
import { type RunningMockSmithCart, startMockSmithCart } from '../mock-providers.js';
import { ask } from '../prompts.js';
import { secureUrlOption } from '../secure-url-option.js';
import type { SmithCartSession } from '../session-file.js';
import { otherSessionHint } from '../session-hint.js';

/** Options of `smithcart login`. */
export interface SmithCartLoginOptions {
  scope: string;
  baseUrl?: string;
  clientId?: string;
  /** `false` with `--no-open`: print the URL instead of opening the browser. */
  open: boolean;
  /** Seconds to wait for the browser. */
  timeout: string;
}

/** Options of `smithcart orders`. */
export interface SmithCartOrdersOptions {
  user: string;
  all?: boolean;
  perPage?: string;
}

interface SmithCartUser {
  username?: unknown;
  name?: unknown;
  email?: unknown;
}

type Order = Record<string, unknown>;

function sessionName(context: CommandContext): 'smithcart' | 'smithcart-mock' {
  return context.mock ? 'smithcart-mock' : 'smithcart';
}

function loginCommand(context: CommandContext): string {
  return `${RUN} smithcart login${context.mock ? ' --mock' : ''}`;
}

function positiveNumber(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw usageError(`${option} must be a positive number, not "${value}".`);
  return number;
}

function describeUser(user: SmithCartUser): string {
  const username = typeof user.username === 'string' ? user.username : undefined;
  const name = typeof user.name === 'string' ? user.name : undefined;
  if (name && username) return `${name} (${username})`;
  return name ?? username ?? 'an unnamed user';
}

/** Waits for `outcome` at most `ms`; the timer never keeps the process alive afterwards. */
async function withinTime<T>(outcome: Promise<T>, ms: number, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CliError(
            'login_timeout',
            ExitCode.network,
            `No answer from the browser within ${seconds} s; run the login again and approve in the browser (or raise --timeout).`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `smithcart login`: the implicit grant through a one-shot loopback listener.
 * The browser opens `http://127.0.0.1:<port>/start`, which redirects it to
 * SmithCart; it comes back to `/callback`, and the page there posts the
 * fragment to the listener, which validates it with `handleCallback` (state
 * first). The listener is closed in every case.
 */
export async function smithCartLogin(context: CommandContext, options: SmithCartLoginOptions): Promise<void> {
  const { output } = context;
  const seconds = positiveNumber(options.timeout, '--timeout');
  let mock: RunningMockSmithCart | undefined;
  if (context.mock) {
    if (options.baseUrl !== undefined) throw usageError('--mock starts its own SmithCart; leave out --base-url.');
    mock = await startMockSmithCart();
    context.defer(mock.close);
  }
  const fromEnv = context.envValue('SMITHCART_BASE_URL');
  const baseUrl =
    mock?.url ??
    (options.baseUrl === undefined ? undefined : secureUrlOption(options.baseUrl, '--base-url')) ??
    (fromEnv === undefined ? undefined : secureUrlOption(fromEnv, 'SMITHCART_BASE_URL')) ??
    (await ask({
      message: 'SmithCart base URL',
      otherwise: 'Pass --base-url URL or set SMITHCART_BASE_URL; add --mock to use the built-in mock.',
    }));
  const clientId =
    options.clientId ??
    context.envValue('SMITHCART_CLIENT_ID') ??
    mock?.demo.clientId ??
    (await ask({ message: 'SmithCart client id', otherwise: 'Pass --client-id or set SMITHCART_CLIENT_ID.' }));
  const scope = options.scope
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(' ');

  // This login's own store: a state from any other sign-in (or a replayed one) is unknown here.
  const stateStore = new LoginStateStore();
  const listener = await startLoopbackCallback({
    handle: (callbackUrl) => handleCallback(callbackUrl, { stateStore }),
    // Only a callback that carried this login's state comes from the authorization; anything else is ignored.
    isFinal: () => stateStore.presented,
    successMessage: () => 'Signed in. You can close this tab and return to the terminal.',
    failureMessage: (error) => reportError(error).message,
  });
  context.defer(listener.close);
  const redirectUri = listener.redirectUri;
  const request = await createAuthorizationRequest({ baseUrl, clientId, redirectUri, scope, stateStore });

  // The browser is opened on the listener's /start, never on the authorization address: a command line is
  // readable by every local user, and the state in that address is what lets a callback in.
  if (options.open) {
    listener.startAt(request.url);
    output.notice(
      `Opening your browser to sign in to SmithCart. If it does not open, open this address yourself:\n  ${request.url}`,
    );
    await open(listener.startUrl).catch(() =>
      output.notice('Could not open a browser; open the address above yourself.'),
    );
  } else {
    output.notice(`Open this address in your browser to sign in to SmithCart:\n  ${request.url}`);
  }
  const progress = output.progress(`Waiting for the browser on ${listener.redirectUri} (up to ${seconds} s)…`);
  let result: Awaited<ReturnType<typeof handleCallback>>;
  try {
    result = await withinTime(Promise.race([listener.outcome, context.cancellation()]), seconds * 1000, seconds);
  } catch (error) {
    progress.fail('Sign-in did not complete.');
    throw error;
  } finally {
    await listener.close();
  }
  progress.succeed('Authorization received.');

  const { token } = result;
  const granted = [...token.scope];
  const denied = [...result.denied];
  // Reading the user's own record needs `private` or `users`; the sign-in stands even when it cannot be read.
  const canReadProfile = token.scope.has('private') || token.scope.has('users');
  const me = canReadProfile
    ? await whoAmI(createSmithCartClient({ baseUrl, token }), context.signal).catch((error: unknown) => {
        if (isGrantKitError(error) && !context.signal.aborted) return undefined;
        throw error;
      })
    : undefined;
  const username = typeof me?.username === 'string' ? me.username : undefined;
  const session: SmithCartSession = {
    baseUrl: context.mock ? undefined : baseUrl,
    username,
    token: token.toStorage(),
  };
  await context.sessions.write(sessionName(context), session);
  output.result(
    [
      `Signed in to SmithCart${context.mock ? ' (mock)' : ''}${me ? ` as ${describeUser(me)}` : ''}.`,
      `Granted: ${granted.join(' ') || '(none)'}`,
      `Denied:  ${denied.join(' ') || '(none)'}`,
      `Token ${describeExpiry(token)}; saved in ${context.sessions.path}.`,
    ].join('\n'),
    {
      provider: 'smithcart',
      mock: context.mock,
      username: username ?? null,
      granted,
      denied,
      expiresAt: expiryJson(token),
      sessionFile: context.sessions.path,
    },
  );
}

function whoAmI(client: SmithCartClient, signal: AbortSignal): Promise<SmithCartUser> {
  return client.get<SmithCartUser>(userPath('me.json'), { signal });
}

/**
 * A client with the saved token. The in-process mock of `--mock` starts empty
 * in every command, so it is given a token for the same user, scopes and expiry.
 */
async function savedClient(context: CommandContext): Promise<SmithCartClient> {
  const session = await context.sessions.read(sessionName(context));
  if (!session) {
    throw new CliError(
      'not_signed_in',
      ExitCode.authentication,
      `Not signed in to SmithCart${context.mock ? ' (mock)' : ''}; run \`${loginCommand(context)}\` first.${await otherSessionHint(context, 'smithcart', 'SmithCart', 'use it')}`,
    );
  }
  const token = AccessToken.fromStorage(session.token);
  // The implicit grant has no refresh: an expired token means authorizing again.
  if (token.isExpired()) {
    throw new TokenExpiredError(token.expiresAt, { advice: 'Run `grantkit-demo smithcart login` to authorize again.' });
  }
  if (!context.mock) {
    if (session.baseUrl === undefined) {
      throw new CliError(
        'corrupt_session',
        ExitCode.usage,
        `The saved session has no address; run \`${loginCommand(context)}\` again.`,
      );
    }
    return createSmithCartClient({ baseUrl: session.baseUrl, token });
  }
  const mock = await startMockSmithCart();
  context.defer(mock.close);
  const remaining = token.expiresAt === undefined ? undefined : Math.ceil((token.expiresAt - Date.now()) / 1000);
  const issued = mock.mock.issueToken({
    username: session.username ?? mock.demo.username,
    scope: token.scope.toString(),
    expiresIn: remaining,
  });
  const reissued = new AccessToken({ value: issued.access_token, expiresAt: token.expiresAt, scope: token.scope });
  return createSmithCartClient({ baseUrl: mock.url, token: reissued });
}

/** `smithcart whoami`: the signed-in user. */
export async function smithCartWhoami(context: CommandContext): Promise<void> {
  const user = await whoAmI(await savedClient(context), context.signal);
  const email = typeof user.email === 'string' ? ` <${user.email}>` : '';
  context.output.result(`${describeUser(user)}${email}`, user);
}

/** One line per order, in columns; fields SmithCart may leave out are left blank. */
function orderTable(orders: readonly Order[]): string[] {
  const field = (order: Order, name: string) =>
    typeof order[name] === 'string' || typeof order[name] === 'number' ? String(order[name]) : '';
  const rows = orders.map((order) => [
    `#${field(order, 'id')}`,
    field(order, 'number'),
    field(order, 'status'),
    [field(order, 'total'), field(order, 'currency')].filter(Boolean).join(' '),
    field(order, 'created_at').slice(0, 10),
  ]);
  const widths = rows.reduce<number[]>(
    (max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, cell.length)),
    [],
  );
  return rows.map((row) =>
    row
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** `smithcart orders`: one page of orders, or every page with `--all`. */
export async function smithCartOrders(context: CommandContext, options: SmithCartOrdersOptions): Promise<void> {
  const perPage = options.perPage === undefined ? undefined : positiveNumber(options.perPage, '--per-page');
  if (perPage !== undefined && !Number.isInteger(perPage)) throw usageError('--per-page must be a whole number.');
  const client = await savedClient(context);
  const path = userPath(options.user, 'orders.json');
  const searchParams = perPage === undefined ? undefined : { per_page: perPage };
  const { signal } = context;
  const orders: Order[] = [];
  let pages = 0;
  let next: string | undefined;
  if (options.all) {
    const progress = context.output.progress('Fetching orders…');
    try {
      for await (const page of client.paginate<Order>(path, { searchParams, signal })) {
        pages += 1;
        orders.push(...page.items);
        progress.update(`Fetched page ${pages} (${orders.length} orders so far)…`);
      }
    } catch (error) {
      progress.fail('Could not fetch every page.');
      throw error;
    }
    progress.succeed(`Fetched ${orders.length} orders in ${pages} pages.`);
  } else {
    const page = await client.list<Order>(path, { searchParams, signal });
    pages = 1;
    orders.push(...page.items);
    next = page.next;
  }
  const lines = orders.length === 0 ? ['No orders.'] : orderTable(orders);
  if (next) lines.push('More orders on the next pages; add --all to fetch every page.');
  context.output.result(lines.join('\n'), { orders, pages, complete: next === undefined });
}

/** `smithcart logout`: forgets the saved token (the implicit grant has no revocation endpoint). */
export async function smithCartLogout(context: CommandContext): Promise<void> {
  const removed = await context.sessions.remove(sessionName(context));
  const hint = removed ? '' : await otherSessionHint(context, 'smithcart', 'SmithCart', 'sign out of it');
  context.output.result(
    removed
      ? `Signed out of SmithCart${context.mock ? ' (mock)' : ''}; its token is deleted.`
      : `Not signed in to SmithCart${context.mock ? ' (mock)' : ''}; nothing to do.${hint}`,
    { provider: 'smithcart', mock: context.mock, signedOut: removed },
  );
}
