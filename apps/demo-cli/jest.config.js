import preset from '../../jest.preset.js';

/** @type {import('jest').Config} */
export default {
  ...preset,
  // The tests run the built CLI as a child process; this builds it (and the packages it loads) when stale.
  globalSetup: '<rootDir>/test/support/build-cli.ts',
};
