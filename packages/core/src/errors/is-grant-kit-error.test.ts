import { runInNewContext } from 'node:vm';
import { GrantKitError, HttpError, isGrantKitError, NetworkError, OAuthError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';

describe('isGrantKitError', () => {
  const http = new HttpError({ status: 500, method: 'GET', url: 'https://a.example', body: null });

  it('is true for a grantkit error, and for its own code only when a code is given', () => {
    expect(isGrantKitError(http)).toBe(true);
    expect(isGrantKitError(http, 'http_error')).toBe(true);
    expect(isGrantKitError(http, 'network_error')).toBe(false);
    expect(isGrantKitError(new OAuthError({ error: 'invalid_grant' }), 'oauth_error')).toBe(true);
  });

  it('narrows to the class of the code', () => {
    const error: unknown = http;
    if (!isGrantKitError(error, 'http_error')) throw new Error('expected an HttpError');
    const status: number = error.status;
    expect(status).toBe(500);
  });

  it('is true for an instance of the root class itself, without a code to narrow to', () => {
    const root = new GrantKitError('network_error', 'Something failed; try again.');
    expect(isGrantKitError(root)).toBe(true);
    expect(isGrantKitError(root, 'network_error')).toBe(false);
  });

  it('recognises a grantkit error made in another realm', () => {
    const foreign: unknown = runInNewContext(`
      class GrantKitError extends Error {}
      class NetworkError extends GrantKitError { name = 'NetworkError'; code = 'network_error'; }
      new NetworkError('Could not reach https://a.example.');
    `);
    expect(foreign instanceof NetworkError).toBe(false);
    expect(isGrantKitError(foreign)).toBe(true);
    expect(isGrantKitError(foreign, 'network_error')).toBe(true);
    expect(isGrantKitError(foreign, 'timeout')).toBe(false);
  });

  it('recognises a plain object with a matching name and code, as from a duplicated install', () => {
    expect(isGrantKitError({ name: 'TimeoutError', code: 'timeout', message: 'x' }, 'timeout')).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'http_error'],
    ['a number', 401],
    ['a plain Error', new Error('boom')],
    ['an error with an unknown code', Object.assign(new Error('x'), { name: 'HttpError', code: 'nope' })],
    ['a code with the wrong name', { name: 'TypeError', code: 'http_error' }],
    ['a DOMException TimeoutError', new DOMException('timed out', 'TimeoutError')],
  ])('is false for %s', (_, value) => {
    expect(isGrantKitError(value)).toBe(false);
  });
});
