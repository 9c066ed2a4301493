import {
  HttpError,
  InsufficientScopeError,
  NetworkError,
  OAuthError,
  StateMismatchError,
  TokenExpiredError,
} from '@grantkit/core';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { errorMessage, reportUnexpected } from '../src/browser/messages.js';

describe('errorMessage (the SmithCart panel’s sentences)', () => {
  it('explains a state mismatch and that the token was discarded', () => {
    expect(errorMessage(new StateMismatchError('the state is unknown'))).toMatch(/state mismatch.*discarded/);
  });

  it('names access_denied when the user denied', () => {
    expect(errorMessage(new OAuthError({ error: 'access_denied' }))).toContain('You denied access');
  });

  it('passes another authorization error code and description through', () => {
    expect(errorMessage(new OAuthError({ error: 'invalid_scope', errorDescription: 'Unknown scope.' }))).toBe(
      'SmithCart refused the authorization (invalid_scope). Unknown scope.',
    );
  });

  it('tells the user to connect again when the token expired, as there is no refresh', () => {
    expect(errorMessage(new TokenExpiredError(Date.now() - 1))).toContain('connect again');
  });

  it('names the scope the action needs when one is missing', () => {
    const error = new InsufficientScopeError({ required: 'private', granted: 'create delete' });
    expect(errorMessage(error, { label: 'Listing your orders', scope: 'orders' })).toBe(
      'Listing your orders needs the "orders" scope, which was not granted. Connect again and keep "orders" ticked.',
    );
    expect(errorMessage(error)).toContain('needs the "private" scope');
  });

  it('treats a 401 from the API as a token SmithCart no longer accepts', () => {
    const error = new HttpError({ status: 401, method: 'GET', url: 'http://127.0.0.1/users/me/orders.json', body: '' });
    expect(errorMessage(error)).toContain('no longer accepts this token');
  });

  it('says when SmithCart cannot be reached', () => {
    expect(errorMessage(new NetworkError('http://127.0.0.1:9'))).toContain('could not be reached');
  });

  it('never shows the text of an error that is not grantkit’s', () => {
    expect(errorMessage(new Error('token abc123 leaked'))).toBe('Something went wrong; see the browser console.');
  });
});

describe('reportUnexpected (the console line behind “see the browser console”)', () => {
  const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  afterEach(() => {
    consoleError.mockClear();
  });
  afterAll(() => {
    consoleError.mockRestore();
  });

  it('logs what failed, the path and the error’s name, never its message', () => {
    reportUnexpected(new TypeError('token abc123 leaked'), 'Listing your orders', '/');
    expect(consoleError.mock.calls).toEqual([['Listing your orders failed unexpectedly on /: TypeError']]);
  });

  it('logs nothing for a grantkit error, whose message the page already shows', () => {
    reportUnexpected(new NetworkError('http://127.0.0.1:9'), 'Connecting to SmithCart', '/');
    expect(consoleError).not.toHaveBeenCalled();
  });
});
