// workerd with the nodejs_compat flag, which most Workers set: `node:util` and `process` exist.
import { inspect } from 'node:util';
import { matrixWorker } from './worker-handler.js';

export default matrixWorker({ 'util.inspect': (value) => inspect(value, { depth: 8 }) });
