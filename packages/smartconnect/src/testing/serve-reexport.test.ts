import * as coreTesting from '@grantkit/core/testing';
import { describe, expect, it } from '@jest/globals';
import * as testing from './index.js';

describe('@grantkit/smartconnect/testing', () => {
  it('re-exports serveFetchHandler from @grantkit/core/testing, so tests import this package only', () => {
    expect((testing as Record<string, unknown>).serveFetchHandler).toBe(coreTesting.serveFetchHandler);
  });
});
