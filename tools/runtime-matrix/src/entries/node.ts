// Node 22 and 24: `node node.js '<config JSON>'` prints the report as its last line.
import { inspect } from 'node:util';
import { runScenarios } from '../run-scenarios.js';

const { scenarios, ...urls } = JSON.parse(process.argv[2] ?? '{}');
const inspectors = { 'util.inspect': (value: unknown) => inspect(value, { depth: 8 }) };
console.log(JSON.stringify(await runScenarios({ ...urls, inspectors }, scenarios)));
