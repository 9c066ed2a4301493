import * as core from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import * as flow from './index.js';

const FROM_CORE = [
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
  'subscribe',
] as const;

describe('@grantkit/smithcart', () => {
  it.each(FROM_CORE)('re-exports %s from @grantkit/core, so users import one package', (name) => {
    expect((flow as Record<string, unknown>)[name]).toBe((core as Record<string, unknown>)[name]);
  });
});
