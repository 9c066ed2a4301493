import { AccessToken, HttpError } from '@grantkit/core';
import { createBearerClient } from '@grantkit/core/bearer';
import {
  createSmartConnectClient,
  requestPasswordToken,
  SMARTCONNECT_REGIONS,
  type SmartConnectRegion,
  type SmartConnectTarget,
} from '@grantkit/smartconnect';
import { CliError } from '../cli-error.js';
import { type CommandContext, usageError } from '../context.js';
import { describeExpiry, expiryJson } from '../describe-token.js';
import { ExitCode } from '../exit-codes.js';
import { RUN } from '../invocation.js';
import { type RunningMockSmartConnect, startMockSmartConnect } from '../mock-providers.js';
import { ask, choose } from '../prompts.js';
import { secureUrlOption } from '../secure-url-option.js';
import { type SmartConnectSession, smartConnectTokenStore } from '../session-file.js';
import { otherSessionHint } from '../session-hint.js';

/** Options of `smartconnect login`. */
export interface SmartConnectLoginOptions {
  region?: string;
  baseUrl?: string;
  username?: string;
}

/** Options of `smartconnect call`. */
export interface SmartConnectCallOptions {
  data?: string;
  /** Where to renew the token; the password is sent only to a host the user named. */
  region?: string;
  baseUrl?: string;
}

type Api = ReturnType<typeof createBearerClient>;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function sessionName(context: CommandContext): 'smartconnect' | 'smartconnect-mock' {
  return context.mock ? 'smartconnect-mock' : 'smartconnect';
}

function loginCommand(context: CommandContext): string {
  return `${RUN} smartconnect login${context.mock ? ' --mock' : ''}`;
}

/** The region or base URL the user named with a flag or in the environment, or `undefined`. */
function namedTarget(
  context: CommandContext,
  options: { region?: string | undefined; baseUrl?: string | undefined },
): SmartConnectTarget | undefined {
  if (options.baseUrl !== undefined && options.region !== undefined) {
    throw usageError('Pass either --region or --base-url, not both.');
  }
  // Regions are upper case in the provider's document; accept `eu` for `EU`.
  const region = (name: string): SmartConnectTarget => {
    const upper = name.toUpperCase();
    if (!Object.hasOwn(SMARTCONNECT_REGIONS, upper)) {
      const known = Object.keys(SMARTCONNECT_REGIONS).join(', ');
      throw usageError(`Unknown SmartConnect region "${name}"; use one of ${known}, or --base-url for another host.`);
    }
    return { region: upper as SmartConnectRegion };
  };
  if (options.baseUrl !== undefined) return { baseUrl: secureUrlOption(options.baseUrl, '--base-url') };
  if (options.region !== undefined) return region(options.region);
  const baseUrl = context.envValue('SMARTCONNECT_BASE_URL');
  if (baseUrl !== undefined) return { baseUrl: secureUrlOption(baseUrl, 'SMARTCONNECT_BASE_URL') };
  const fromEnv = context.envValue('SMARTCONNECT_REGION');
  if (fromEnv !== undefined) return region(fromEnv);
  return undefined;
}

async function resolveTarget(context: CommandContext, options: SmartConnectLoginOptions): Promise<SmartConnectTarget> {
  const named = namedTarget(context, options);
  if (named !== undefined) return named;
  const region = (name: string): SmartConnectTarget => ({ region: name as SmartConnectRegion });
  const regions = Object.keys(SMARTCONNECT_REGIONS);
  return region(
    await choose({
      message: 'SmartConnect region',
      choices: regions.map((name) => ({ value: name, hint: SMARTCONNECT_REGIONS[name as SmartConnectRegion] })),
      otherwise: `Pass --region (${regions.join(', ')}) or --base-url URL, or set SMARTCONNECT_REGION; add --mock to use the built-in mock.`,
    }),
  );
}

/**
 * `smartconnect login`: the password grant. The password comes from a hidden
 * prompt or `SMARTCONNECT_PASSWORD`, never from argv; only the token is saved.
 */
export async function smartConnectLogin(context: CommandContext, options: SmartConnectLoginOptions): Promise<void> {
  const { output } = context;
  let target: SmartConnectTarget;
  let demo: RunningMockSmartConnect['demo'] | undefined;
  if (context.mock) {
    if (options.region !== undefined || options.baseUrl !== undefined) {
      throw usageError('--mock starts its own SmartConnect; leave out --region and --base-url.');
    }
    const running = await startMockSmartConnect();
    context.defer(running.close);
    target = { baseUrl: running.url };
    demo = running.demo;
  } else {
    target = await resolveTarget(context, options);
  }
  const username =
    options.username ??
    context.envValue('SMARTCONNECT_USERNAME') ??
    (demo
      ? demo.username
      : await ask({
          message: 'SmartConnect username (email)',
          otherwise: 'Pass --username or set SMARTCONNECT_USERNAME.',
        }));
  const clientId =
    context.envValue('SMARTCONNECT_CLIENT_ID') ??
    (demo
      ? demo.clientId
      : await ask({
          message: 'Client id',
          otherwise: 'Set SMARTCONNECT_CLIENT_ID to your REST application client id.',
        }));
  const clientSecret =
    context.envValue('SMARTCONNECT_CLIENT_SECRET') ??
    (demo
      ? demo.clientSecret
      : await ask({
          message: 'Client secret',
          otherwise: 'Set SMARTCONNECT_CLIENT_SECRET to your REST application client secret.',
          hidden: true,
        }));
  const password =
    context.envValue('SMARTCONNECT_PASSWORD') ??
    (await ask({
      message: demo ? `Password for ${username} (the mock's is "${demo.password}")` : `Password for ${username}`,
      otherwise:
        'Set SMARTCONNECT_PASSWORD, or run in a terminal to be asked; the password is never a command-line option.',
      hidden: true,
    }));

  const host =
    target.region === undefined ? String(target.baseUrl) : (SMARTCONNECT_REGIONS[target.region] ?? target.region);
  const progress = output.progress(`Requesting a token from ${host}…`);
  let token: AccessToken;
  try {
    token = await requestPasswordToken({
      ...target,
      username,
      password,
      clientId,
      clientSecret,
      signal: context.signal,
    });
  } catch (error) {
    progress.fail('SmartConnect did not issue a token.');
    throw error;
  }
  progress.succeed('Token received.');

  const baseUrl = context.mock ? undefined : host;
  const session: SmartConnectSession = { baseUrl, username, clientId, token: token.toStorage() };
  await context.sessions.write(sessionName(context), session);
  output.result(
    [
      `Signed in to SmartConnect${context.mock ? ' (mock)' : ''} as ${username}.`,
      `Token ${describeExpiry(token)}; saved in ${context.sessions.path} (the password is not stored).`,
    ].join('\n'),
    {
      provider: 'smartconnect',
      mock: context.mock,
      baseUrl: baseUrl ?? null,
      username,
      expiresAt: expiryJson(token),
      sessionFile: context.sessions.path,
    },
  );
}

async function signedIn(context: CommandContext): Promise<SmartConnectSession> {
  const session = await context.sessions.read(sessionName(context));
  if (!session) {
    throw new CliError(
      'not_signed_in',
      ExitCode.authentication,
      `Not signed in to SmartConnect${context.mock ? ' (mock)' : ''}; run \`${loginCommand(context)}\` first.${await otherSessionHint(context, 'smartconnect', 'SmartConnect', 'use it')}`,
    );
  }
  return session;
}

/**
 * The API: renewing the token when the password and client secret are at
 * hand and the user named where to send them, else with the stored token only.
 * The credentials never go to the address in the session file.
 */
async function apiFor(
  context: CommandContext,
  session: SmartConnectSession,
  options: SmartConnectCallOptions,
): Promise<{ api: Api; renews: boolean }> {
  let baseUrl = session.baseUrl;
  let demo: RunningMockSmartConnect['demo'] | undefined;
  if (context.mock) {
    const running = await startMockSmartConnect();
    context.defer(running.close);
    baseUrl = running.url;
    demo = running.demo;
  }
  if (baseUrl === undefined) {
    throw new CliError(
      'corrupt_session',
      ExitCode.usage,
      `The saved session has no address; run \`${loginCommand(context)}\` again.`,
    );
  }
  const password = context.envValue('SMARTCONNECT_PASSWORD') ?? demo?.password;
  const clientSecret = context.envValue('SMARTCONNECT_CLIENT_SECRET') ?? demo?.clientSecret;
  if (password !== undefined && clientSecret !== undefined) {
    const target = demo ? { baseUrl } : namedTarget(context, options);
    if (target === undefined) {
      context.output.notice(
        'Not renewing: name the host to send the password to with --region or --base-url (or SMARTCONNECT_REGION / SMARTCONNECT_BASE_URL).',
      );
    } else {
      const client = createSmartConnectClient({
        ...target,
        credentials: {
          username: context.envValue('SMARTCONNECT_USERNAME') ?? session.username,
          password,
          clientId: context.envValue('SMARTCONNECT_CLIENT_ID') ?? session.clientId,
          clientSecret,
        },
        tokenStore: smartConnectTokenStore(context.sessions, sessionName(context), session),
      });
      return { api: client.api, renews: true };
    }
  }
  const token = AccessToken.fromStorage(session.token);
  if (token.isExpired()) {
    throw new CliError(
      'session_expired',
      ExitCode.authentication,
      `Your SmartConnect token has expired; run \`${loginCommand(context)}\` again (or set SMARTCONNECT_PASSWORD, SMARTCONNECT_CLIENT_SECRET and SMARTCONNECT_REGION or SMARTCONNECT_BASE_URL to renew it automatically).`,
    );
  }
  return { api: createBearerClient({ prefixUrl: baseUrl, getToken: () => token }), renews: false };
}

function parseData(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw usageError('--data must be JSON, such as --data \'{"name": "Ada"}\'.');
  }
}

/** `smartconnect call <METHOD> <path>`: one API request with the saved (or renewed) token. */
export async function smartConnectCall(
  context: CommandContext,
  method: string,
  path: string,
  options: SmartConnectCallOptions,
): Promise<void> {
  const verb = method.toUpperCase();
  if (!(METHODS as readonly string[]).includes(verb)) {
    throw usageError(`Unknown method "${method}"; use one of ${METHODS.join(', ')}.`);
  }
  const json = parseData(options.data);
  const session = await signedIn(context);
  const { api, renews } = await apiFor(context, session, options);
  let response: Response;
  try {
    response = await api(path.replace(/^\/+/, ''), {
      method: verb,
      signal: context.signal,
      ...(json === undefined ? {} : { json }),
    });
  } catch (error) {
    if (!renews && error instanceof HttpError && error.status === 401) {
      throw new CliError(
        'session_expired',
        ExitCode.authentication,
        `SmartConnect refused the saved token; run \`${loginCommand(context)}\` again (or set SMARTCONNECT_PASSWORD, SMARTCONNECT_CLIENT_SECRET and SMARTCONNECT_REGION or SMARTCONNECT_BASE_URL to renew it automatically).`,
        { cause: error },
      );
    }
    throw error;
  }
  const text = await response.text();
  let data: unknown = text === '' ? null : text;
  if (text !== '' && /\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      // Shown as text: the server said JSON but sent something else.
    }
  }
  const human = typeof data === 'string' ? data : JSON.stringify(data, null, 2);
  context.output.result(human, { status: response.status, data });
}

/** `smartconnect logout`: forgets the saved token. */
export async function smartConnectLogout(context: CommandContext): Promise<void> {
  const removed = await context.sessions.remove(sessionName(context));
  const hint = removed ? '' : await otherSessionHint(context, 'smartconnect', 'SmartConnect', 'sign out of it');
  context.output.result(
    removed
      ? `Signed out of SmartConnect${context.mock ? ' (mock)' : ''}; its token is deleted.`
      : `Not signed in to SmartConnect${context.mock ? ' (mock)' : ''}; nothing to do.${hint}`,
    { provider: 'smartconnect', mock: context.mock, signedOut: removed },
  );
}
