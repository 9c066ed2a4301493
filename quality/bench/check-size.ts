// `pnpm size`: fails (exit 1) when any bundle grew more than 10 % over its recorded budget in
// quality/size-budget.json.
//   pnpm size                       (builds the packages first)
//   pnpm exec tsx bench/check-size.ts --update   (records today's sizes as the new budgets)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureBundles } from './bundles.js';

const BUDGET_FILE = fileURLToPath(new URL('../size-budget.json', import.meta.url));
const GROWTH_ALLOWED = 0.1;

const budgets = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as Record<string, number>;
const sizes = await measureBundles();

if (process.argv.includes('--update')) {
  writeFileSync(
    BUDGET_FILE,
    // Other keys (such as the absolute `smithcart sign-in budget`) are kept.
    `${JSON.stringify({ ...budgets, ...Object.fromEntries(sizes.map((size) => [size.name, size.gzip])) }, null, 2)}\n`,
  );
  console.log(`Recorded ${sizes.length} budgets in ${BUDGET_FILE}.`);
  process.exit(0);
}

let failures = 0;
const rows = sizes.map(({ name, gzip }) => {
  const budget = budgets[name];
  const limit = budget === undefined ? Number.POSITIVE_INFINITY : Math.floor(budget * (1 + GROWTH_ALLOWED));
  const problems: string[] = [];
  if (budget === undefined) problems.push('no budget recorded');
  if (budget !== undefined && gzip > limit) {
    problems.push(`grew ${(((gzip - budget) / budget) * 100).toFixed(1)} % over its budget (10 % allowed)`);
  }
  if (problems.length > 0) failures += 1;
  return {
    bundle: name,
    'min+gzip B': gzip,
    'budget B': budget ?? '—',
    'limit B': Number.isFinite(limit) ? limit : '—',
    result: problems.length === 0 ? 'ok' : `FAIL: ${problems.join('; ')}`,
  };
});

console.log('Bundle size budgets (esbuild, platform browser, minified, gzip level 9)');
console.table(rows);
if (failures > 0) {
  console.error(
    `${failures} bundle(s) over budget. Shrink them, or if the growth is intended, run \`pnpm exec tsx bench/check-size.ts --update\` in quality/ and commit size-budget.json with the reason.`,
  );
  process.exit(1);
}
console.log('Every bundle is within its budget.');
