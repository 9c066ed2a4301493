// The `browser` variant of node-channels.ts (package.json `imports`, `#node-channels`): a browser has no
// `node:diagnostics_channel`, so its bundles need not carry the lookup. Runtimes that may have one (Node, Deno,
// Bun, workerd, which bundles with `workerd` before `browser`) get node-channels.ts.
import type * as withNode from './node-channels.js';

/** Always `undefined`: no Node channels here. */
export const nodeChannel: typeof withNode.nodeChannel = () => undefined;

/** Always `undefined`: no Node channels here. */
export const nodeTokenTrace: typeof withNode.nodeTokenTrace = () => undefined;
