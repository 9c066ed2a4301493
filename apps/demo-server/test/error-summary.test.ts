import { NetworkError, OAuthError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { errorSummary } from '../src/error-summary.js';

describe('errorSummary (the log line’s view of a failure)', () => {
  it('gives a grantkit error’s name and code', () => {
    expect(errorSummary(new OAuthError({ error: 'invalid_grant' }))).toBe('OAuthError (oauth_error)');
    expect(errorSummary(new NetworkError('http://127.0.0.1:9/token'))).toBe('NetworkError (network_error)');
  });

  it('gives only the name of another error, never its message', () => {
    expect(errorSummary(new TypeError('password hunter2 rejected'))).toBe('TypeError');
    expect(errorSummary(new DOMException('Bearer abc.def.ghi', 'AbortError'))).toBe('AbortError');
  });

  it('leaves out a name that is not shaped like an error class, as it could be any text', () => {
    const error = Object.assign(new Error('x'), { name: 'hunter2' });
    expect(errorSummary(error)).toBe('unnamed object');
    expect(errorSummary({ name: 'Bearer sk_live_123Error' })).toBe('unnamed object');
  });

  it('describes a thrown value that is not an object by its type alone', () => {
    expect(errorSummary('hunter2')).toBe('unnamed string');
    expect(errorSummary(null)).toBe('unnamed null');
    expect(errorSummary(undefined)).toBe('unnamed undefined');
  });
});
