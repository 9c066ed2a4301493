import { fileURLToPath } from 'node:url';
import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  // The tests run the built CLI as a child process; this builds it (and the packages it loads) when stale.
  globalSetup: '<rootDir>/test/support/build-cli.ts',
  // Tells a failed test from a passed one, so a failed Chromium test leaves its screenshot and logs behind.
  testEnvironment: fileURLToPath(import.meta.resolve('@grantkit/browser-testing/environment')),
};
