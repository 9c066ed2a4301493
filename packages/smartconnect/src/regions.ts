import { ConfigurationError } from '@grantkit/core';
import { assertSecureUrl } from '@grantkit/core/internal';
import * as messages from '#messages';

/**
 * The API root of each SmartConnect region, as listed in SmartConnect's
 * authentication guide. The token endpoint of a region is `/token` on its host.
 *
 * @example
 * ```ts
 * SMARTCONNECT_REGIONS.EU; // 'https://apieuw.smartconnect.com'
 * ```
 */
export const SMARTCONNECT_REGIONS = {
  NA: 'https://apina.smartconnect.com',
  NA2: 'https://apina2.smartconnect.com',
  NA3: 'https://apina3.smartconnect.com',
  UK: 'https://apieuk.smartconnect.com',
  EU: 'https://apieuw.smartconnect.com',
  EU2: 'https://apieuw2.smartconnect.com',
  AU: 'https://apiau.smartconnect.com',
} as const;

/** A SmartConnect region: `NA`, `NA2`, `NA3`, `UK`, `EU`, `EU2` or `AU`. */
export type SmartConnectRegion = keyof typeof SMARTCONNECT_REGIONS;

/**
 * Where a SmartConnect account lives: one of the documented regions, or the
 * base URL of another host (a proxy, a test server, a mock). `https:` is
 * required unless the host is loopback.
 */
export type SmartConnectTarget =
  | { region: SmartConnectRegion; baseUrl?: undefined }
  | { baseUrl: string | URL; region?: undefined };

const knownRegions = Object.keys(SMARTCONNECT_REGIONS);

function isRegion(value: unknown): value is SmartConnectRegion {
  return typeof value === 'string' && Object.hasOwn(SMARTCONNECT_REGIONS, value);
}

function regionRoot(region: unknown): URL {
  if (isRegion(region)) return new URL(`${SMARTCONNECT_REGIONS[region]}/`);
  throw new ConfigurationError(messages.regionUnknown(region, knownRegions));
}

/**
 * The API root (with a trailing slash) of a region or a base URL. Exactly one
 * of the two must be given.
 *
 * @example
 * ```ts
 * resolveApiRoot({ region: 'NA' }).href; // 'https://apina.smartconnect.com/'
 * resolveApiRoot({ baseUrl: 'http://127.0.0.1:8080/smartconnect' }).href; // 'http://127.0.0.1:8080/smartconnect/'
 * ```
 * @throws {ConfigurationError} for an unknown region, both or neither option, or a
 *   base URL that is not `https:` (loopback excepted) or carries a query or fragment.
 */
export function resolveApiRoot(target: { region?: unknown; baseUrl?: unknown }): URL {
  const { region, baseUrl } = target;
  if (region !== undefined && baseUrl !== undefined) {
    throw new ConfigurationError(messages.regionAndBaseUrl);
  }
  if (region !== undefined) return regionRoot(region);
  if (baseUrl === undefined) {
    throw new ConfigurationError(messages.targetMissing(knownRegions));
  }
  if (typeof baseUrl !== 'string' && !(baseUrl instanceof URL)) {
    throw new ConfigurationError(messages.baseUrlNotUrl);
  }
  const root = assertSecureUrl(baseUrl, 'baseUrl');
  if (root.search || root.hash) {
    throw new ConfigurationError(messages.baseUrlHasQuery);
  }
  if (!root.pathname.endsWith('/')) root.pathname = `${root.pathname}/`;
  return root;
}

/**
 * The token endpoint of a SmartConnect region.
 *
 * @example
 * ```ts
 * tokenEndpoint('UK'); // 'https://apieuk.smartconnect.com/token'
 * ```
 * @throws {ConfigurationError} for an unknown region, listing the known ones.
 */
export function tokenEndpoint(region: SmartConnectRegion): string {
  return new URL('token', regionRoot(region)).href;
}
