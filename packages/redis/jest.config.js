import preset from '../../jest.preset.js';

// One suite at a time: the fleet, Cluster and Sentinel suites each run several processes against real Redis
// servers, and side by side on a loaded 2-core machine they pushed commands past the store's 1 s timeout (a
// process fell back and sent a token request of its own in a clean-clone CI run).
export default { ...preset, maxWorkers: 1 };
