// The peers grantkit's API-calling bundles are measured against, bundled the same way in the same run
// (bench/bundle-sizes.ts prints them beside grantkit's, for BENCHMARKS.md).
import type { BundleSpec } from './bundles.js';

/** ky 2 and one instance: the peer of the SmithCart REST client. */
export const KY_ALONE = 'ky 2 alone';
/** ky 2, valibot and a password grant's least code: the peer of the SmartConnect client. */
export const KY_VALIBOT_FLOOR = 'ky 2 + valibot floor';

export const PEER_BUNDLES: readonly BundleSpec[] = [
  {
    name: KY_ALONE,
    contents: `
import ky from 'ky';
export const api = ky.create({ prefix: 'https://api.example.com/' });
`,
  },
  {
    // What any ky client of a password grant needs at the least: the token request, its body checked, Bearer on calls.
    name: KY_VALIBOT_FLOOR,
    contents: `
import ky from 'ky';
import * as v from 'valibot';
const TokenResponse = v.object({ access_token: v.pipe(v.string(), v.minLength(1)), token_type: v.string(), expires_in: v.optional(v.number()) });
export async function requestToken(form) {
  return v.parse(TokenResponse, await ky.post('https://api.example.com/token', { body: new URLSearchParams(form) }).json());
}
export function client(getToken) {
  return ky.create({ prefix: 'https://api.example.com/', hooks: { beforeRequest: [async ({ request }) => { request.headers.set('authorization', 'Bearer ' + (await getToken())); }] } });
}
`,
  },
  {
    name: "oauth4webapi's password grant + protected resource request",
    contents: `
import { ClientSecretPost, genericTokenEndpointRequest, processGenericTokenEndpointResponse, protectedResourceRequest } from 'oauth4webapi';
const as = { issuer: 'https://api.example.com', token_endpoint: 'https://api.example.com/token' };
const client = { client_id: 'client' };
export async function requestToken(username, password, secret) {
  const response = await genericTokenEndpointRequest(as, client, ClientSecretPost(secret), 'password', new URLSearchParams({ username, password }));
  return processGenericTokenEndpointResponse(as, client, response);
}
export function get(token, path) {
  return protectedResourceRequest(token, 'GET', new URL(path, 'https://api.example.com/'));
}
`,
  },
  {
    name: "openid-client's password grant + protected resource fetch",
    contents: `
import { ClientSecretPost, Configuration, fetchProtectedResource, genericGrantRequest } from 'openid-client';
const config = new Configuration({ issuer: 'https://api.example.com', token_endpoint: 'https://api.example.com/token' }, 'client', undefined, ClientSecretPost('secret'));
export function requestToken(username, password) {
  return genericGrantRequest(config, 'password', { username, password });
}
export function get(token, path) {
  return fetchProtectedResource(config, token, new URL(path, 'https://api.example.com/'), 'GET');
}
`,
  },
];
