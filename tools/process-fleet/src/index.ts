export { answerParent } from './answer-parent.js';
export { addUpCalls, type CallResults, settleCalls } from './call-results.js';
export { type ForkWorkersOptions, forkWorkers, type WorkerMessage, type WorkerPool } from './fork-workers.js';
