import { describe, expect, it } from '@jest/globals';
import * as full from './messages.js';
import * as production from './messages.production.js';

describe("core's messages", () => {
  it('has a production build with the same builders, each giving no text', () => {
    expect(Object.keys(production).sort()).toEqual(Object.keys(full).sort());
    for (const build of Object.values(production)) expect(build()).toBeUndefined();
  });
});
