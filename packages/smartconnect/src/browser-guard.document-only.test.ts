import { afterEach, describe, expect, it } from '@jest/globals';
import { createSmartConnectClient } from './index.js';
import { SMARTCONNECT_DEMO_CLIENT, SMARTCONNECT_DEMO_USER } from './testing/index.js';

const globals = globalThis as { window?: unknown; document?: unknown };
afterEach(() => {
  delete globals.document;
});

describe('the browser guard of createSmartConnectClient', () => {
  it('is not fooled by a document alone (a DOM shim on a server has no window)', () => {
    globals.document = {};
    expect(() =>
      createSmartConnectClient({
        baseUrl: 'https://smartconnect.example.com',
        credentials: { ...SMARTCONNECT_DEMO_USER, ...SMARTCONNECT_DEMO_CLIENT },
      }),
    ).not.toThrow();
  });
});
