// jest's node environment, plus the name of every test that failed so far in the file, so that an
// `afterEach` can tell a failed test from a passed one (jest gives hooks no such status).
import { TestEnvironment } from 'jest-environment-node';

export default class BrowserTestEnvironment extends TestEnvironment {
  /** @param {import('jest-circus').Event} event */
  handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      const test = event.test ?? event.hook?.parent;
      this.global.__failedTests ??= new Set();
      if (test) this.global.__failedTests.add(fullName(test));
    }
  }
}

function fullName(entry) {
  const names = [];
  for (let current = entry; current && current.name !== 'ROOT_DESCRIBE_BLOCK'; current = current.parent) {
    names.unshift(current.name);
  }
  return names.join(' ');
}
