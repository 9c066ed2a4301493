// Bun: `bun bun.js '<config JSON>'` prints the report as its last line.
import { inspect } from 'node:util';
import { runScenarios } from '../run-scenarios.js';

declare const Bun: { argv: string[]; inspect(value: unknown, options?: { depth?: number }): string };

const { scenarios, ...urls } = JSON.parse(Bun.argv[2] ?? '{}');
const inspectors = {
  'Bun.inspect': (value: unknown) => Bun.inspect(value, { depth: 8 }),
  'util.inspect': (value: unknown) => inspect(value, { depth: 8 }),
};
console.log(JSON.stringify(await runScenarios({ ...urls, inspectors }, scenarios)));
