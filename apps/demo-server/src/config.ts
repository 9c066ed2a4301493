import { ConfigurationError } from '@grantkit/core';
import { SMARTCONNECT_REGIONS, type SmartConnectRegion } from '@grantkit/smartconnect';

/** Where the SmartConnect panel signs in, and with which REST application registration. */
export interface SmartConnectSettings {
  /** `embedded` when the mock provider is served by this process. */
  provider: 'embedded' | 'real';
  target: { region: SmartConnectRegion } | { baseUrl: string };
  clientId: string;
  clientSecret: string;
  /** The API path the panel calls once signed in, relative to the API root. */
  samplePath: string;
}

/** Where the browser connects to SmithCart, and as which application. */
export interface SmithCartSettings {
  provider: 'embedded' | 'real';
  /** Empty for the embedded mock until it is listening. */
  baseUrl: string;
  clientId: string;
}

/** Everything the demo server reads from its environment. */
export interface DemoConfig {
  host: string;
  port: number;
  /** The host names the app answers to (the `Host` header); anything else gets 403, so DNS rebinding fails. */
  allowedHosts: string[];
  /** Behind a TLS-terminating proxy: believe its `X-Forwarded-Proto` and `X-Forwarded-For`. */
  trustProxy: boolean;
  smartconnect: SmartConnectSettings;
  smithcart: SmithCartSettings;
  /** `REDIS_URL`: sessions and SmartConnect tokens in this Redis, shared by every instance; unset, in memory. */
  redis?: { url: string; tokenKey: string | undefined } | undefined;
}

type Env = Record<string, string | undefined>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** The names a loopback app answers to, as they appear in a `Host` header. */
export const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::']);

function value(env: Env, name: string): string | undefined {
  const text = env[name]?.trim();
  return text ? text : undefined;
}

function required(env: Env, name: string, because: string): string {
  const text = value(env, name);
  if (text === undefined) throw new ConfigurationError(`Set ${name}: ${because}.`);
  return text;
}

function port(env: Env): number {
  const text = value(env, 'PORT') ?? '3000';
  const number = Number(text);
  if (!/^\d+$/.test(text) || number > 65_535) {
    throw new ConfigurationError('PORT must be a whole number from 0 to 65535 (0 picks a free port).');
  }
  return number;
}

/** `[::1]` for an IPv6 address, as URLs and `Host` headers write it; names in lower case. */
function hostName(text: string): string {
  const name = text.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

function allowedHosts(env: Env, host: string): string[] {
  const names = new Set(LOOPBACK_HOST_NAMES);
  if (!WILDCARDS.has(host)) names.add(hostName(host));
  for (const entry of (value(env, 'ALLOWED_HOSTS') ?? '').split(',')) {
    const name = entry.trim();
    if (!name) continue;
    if (!/^(\[[0-9a-f:.]+\]|[0-9a-z.-]+)$/i.test(hostName(name))) {
      throw new ConfigurationError(
        `ALLOWED_HOSTS takes host names separated by commas, without scheme or port (such as demo.example.com); "${name}" is not one.`,
      );
    }
    names.add(hostName(name));
  }
  return [...names];
}

function smartconnect(env: Env): SmartConnectSettings {
  const region = value(env, 'SMARTCONNECT_REGION');
  const baseUrl = value(env, 'SMARTCONNECT_BASE_URL');
  const samplePath = value(env, 'SMARTCONNECT_SAMPLE_PATH') ?? 'api/v1/me';
  if (region === undefined && baseUrl === undefined) {
    return { provider: 'embedded', target: { baseUrl: '' }, clientId: '', clientSecret: '', samplePath };
  }
  if (region !== undefined && baseUrl !== undefined) {
    throw new ConfigurationError('Set SMARTCONNECT_REGION or SMARTCONNECT_BASE_URL, not both.');
  }
  if (region !== undefined && !Object.hasOwn(SMARTCONNECT_REGIONS, region)) {
    throw new ConfigurationError(
      `SMARTCONNECT_REGION must be one of ${Object.keys(SMARTCONNECT_REGIONS).join(', ')}; unset it to use the embedded mock.`,
    );
  }
  const because = 'the real SmartConnect needs the REST application registration of your account';
  return {
    provider: 'real',
    target: region !== undefined ? { region: region as SmartConnectRegion } : { baseUrl: baseUrl as string },
    clientId: required(env, 'SMARTCONNECT_CLIENT_ID', because),
    clientSecret: required(env, 'SMARTCONNECT_CLIENT_SECRET', because),
    samplePath,
  };
}

function smithcart(env: Env): SmithCartSettings {
  const baseUrl = value(env, 'SMITHCART_BASE_URL');
  if (baseUrl === undefined) return { provider: 'embedded', baseUrl: '', clientId: '' };
  return {
    provider: 'real',
    baseUrl,
    clientId: required(env, 'SMITHCART_CLIENT_ID', 'the real SmithCart needs the client ID of your application'),
  };
}

function redis(env: Env): DemoConfig['redis'] {
  const url = value(env, 'REDIS_URL');
  if (url === undefined) return undefined;
  if (!/^rediss?:\/\//.test(url)) {
    throw new ConfigurationError('REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.');
  }
  return { url, tokenKey: value(env, 'GRANTKIT_TOKEN_KEY') };
}

/**
 * Reads the demo's settings from the environment: `HOST` (default
 * `127.0.0.1`; anything but loopback needs `ALLOW_REMOTE=1`), `PORT` (3000),
 * `ALLOWED_HOSTS` (host names besides loopback's), `TRUST_PROXY=1`,
 * and, to leave the embedded mocks for real providers,
 * `SMARTCONNECT_REGION` or `SMARTCONNECT_BASE_URL` with
 * `SMARTCONNECT_CLIENT_ID` / `SMARTCONNECT_CLIENT_SECRET`, and
 * `SMITHCART_BASE_URL` with `SMITHCART_CLIENT_ID`; `REDIS_URL` (with
 * `GRANTKIT_TOKEN_KEY`) to keep sessions and tokens in Redis.
 */
export function readConfig(env: Env): DemoConfig {
  const host = value(env, 'HOST') ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && value(env, 'ALLOW_REMOTE') !== '1') {
    throw new ConfigurationError(
      `HOST=${host} would expose the demo beyond this machine; set ALLOW_REMOTE=1 as well if you mean it.`,
    );
  }
  return {
    host,
    port: port(env),
    allowedHosts: allowedHosts(env, host),
    trustProxy: value(env, 'TRUST_PROXY') === '1',
    smartconnect: smartconnect(env),
    smithcart: smithcart(env),
    redis: redis(env),
  };
}
