import * as core from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import * as flow from './index.js';

const ERRORS = [
  'GrantKitError',
  'ConfigurationError',
  'HttpError',
  'InsufficientScopeError',
  'InvalidResponseError',
  'NetworkError',
  'OAuthError',
  'StateMismatchError',
  'TimeoutError',
  'TokenExpiredError',
  'isGrantKitError',
] as const;

describe('@grantkit/smartconnect', () => {
  it.each(ERRORS)('re-exports %s from @grantkit/core, so users import one package', (name) => {
    expect((flow as Record<string, unknown>)[name]).toBe((core as Record<string, unknown>)[name]);
  });
});
