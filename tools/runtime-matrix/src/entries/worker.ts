// workerd with no compatibility flag: web-standard globals only, so no inspect but JSON and String.
import { matrixWorker } from './worker-handler.js';

export default matrixWorker({});
