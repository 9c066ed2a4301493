// Deno: `deno run --allow-net=127.0.0.1 deno.js '<config JSON>'` prints the report as its last line.
import { inspect } from 'node:util';
import { runScenarios } from '../run-scenarios.js';

declare const Deno: { args: string[]; inspect(value: unknown, options?: { depth?: number }): string };

const { scenarios, ...urls } = JSON.parse(Deno.args[0] ?? '{}');
const inspectors = {
  'Deno.inspect': (value: unknown) => Deno.inspect(value, { depth: 8 }),
  'util.inspect': (value: unknown) => inspect(value, { depth: 8 }),
};
console.log(JSON.stringify(await runScenarios({ ...urls, inspectors }, scenarios)));
