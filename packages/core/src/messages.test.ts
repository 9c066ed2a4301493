import { describe, expect, it } from '@jest/globals';
import * as full from './messages.js';
import * as production from './messages.production.js';

const kinds = (module: object) =>
  Object.fromEntries(Object.entries(module).map(([name, message]) => [name, typeof message === 'function']));

describe("core's messages", () => {
  it('have a production build with the same names, builders where it has builders, each giving no text', () => {
    expect(kinds(production)).toEqual(kinds(full));
    for (const message of Object.values(production)) {
      expect(typeof message === 'function' ? message() : message).toBeUndefined();
    }
  });
});
