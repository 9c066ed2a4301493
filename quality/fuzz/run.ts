// `pnpm fuzz`: every property of ./properties.ts, FUZZ_RUNS times each (default 100,000).
//   FUZZ_RUNS=1000000 pnpm fuzz      FUZZ_SEED=42 pnpm fuzz      FUZZ_ONLY=parseLinkHeader pnpm fuzz
import { fuzzProperties } from './properties.js';

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const only = process.env.FUZZ_ONLY;
if (!Number.isInteger(runs) || runs <= 0) {
  console.error('FUZZ_RUNS must be a positive whole number.');
  process.exit(2);
}

let failed = 0;
const started = performance.now();
for (const property of fuzzProperties) {
  if (only && !property.name.includes(only)) continue;
  const t0 = performance.now();
  try {
    await property.check(runs, seed);
    console.log(
      `ok    ${runs.toLocaleString('en')} runs  ${((performance.now() - t0) / 1000).toFixed(1)} s  ${property.name}`,
    );
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${property.name}\n${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log(
  `\n${failed === 0 ? 'All properties held' : `${failed} properties failed`} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
);
process.exit(failed === 0 ? 0 : 1);
