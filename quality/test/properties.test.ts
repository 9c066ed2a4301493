import { describe, it } from '@jest/globals';
import { fuzzProperties } from '../fuzz/properties.js';

// The same properties as `pnpm fuzz`, at 1,000 runs each so that every test run samples them.
const RUNS = 1_000;

describe('the fuzz properties at 1,000 runs', () => {
  it.each(fuzzProperties.map((property) => [property.name, property] as const))(
    '%s',
    async (_name, property) => {
      await property.check(RUNS);
    },
    60_000,
  );
});
