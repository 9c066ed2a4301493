import { fileURLToPath } from 'node:url';
import preset from '../../jest.preset.js';

// The browser-testing environment tells a failed test from a passed one, so a failed Chromium test leaves its
// screenshot, console and network log behind.
export default {
  ...preset,
  testEnvironment: fileURLToPath(import.meta.resolve('@grantkit/browser-testing/environment')),
};
