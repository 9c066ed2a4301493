/** Every scenario of the matrix, in the order they run. */
export const SCENARIO_NAMES = [
  'password grant',
  'single flight of 50 cold calls',
  '401 renewal',
  'wrong password',
  'timeout and unreachable server',
  'events reach subscribe()',
  'authorization request and callback',
  'forged and reused state',
  'partial consent',
  'REST client get, list, paginate, create, delete',
  'secrets in inspect, JSON and String',
  'browser-only features fail typed',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a runtime's entry prints as its last line: each scenario's outcome. */
export type MatrixReport = Record<string, { ok: true } | { ok: false; error: string }>;
