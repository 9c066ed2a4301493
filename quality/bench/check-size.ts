// `pnpm size`: fails (exit 1) when any bundle grew more than 10 % over its recorded budget in
// quality/size-budget.json, or is more than its allowance over the peer it is held to (RELATIVE_BUDGETS,
// the peer bundled in the same run).
//   pnpm size                       (builds the packages first)
//   pnpm exec tsx bench/check-size.ts --update   (records today's sizes as the new budgets)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureBundle, measureBundles } from './bundles.js';
import { PEER_BUNDLES, RELATIVE_BUDGETS } from './peer-bundles.js';

const BUDGET_FILE = fileURLToPath(new URL('../size-budget.json', import.meta.url));
const GROWTH_ALLOWED = 0.1;

const budgets = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as Record<string, number>;
const [sizes, peers] = await Promise.all([measureBundles(), Promise.all(PEER_BUNDLES.map(measureBundle))]);

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
  for (const { peer, allowance } of RELATIVE_BUDGETS.filter((relative) => relative.bundle === name)) {
    const peerGzip = peers.find((size) => size.name === peer)?.gzip ?? 0;
    if (gzip > peerGzip + allowance) {
      problems.push(`${gzip - peerGzip} B over ${peer} (${peerGzip} B); at most ${allowance} B allowed`);
    }
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
console.log('The peers, bundled in the same run');
console.table(peers.map(({ name, minified, gzip }) => ({ bundle: name, 'min B': minified, 'min+gzip B': gzip })));
if (failures > 0) {
  console.error(
    `${failures} bundle(s) over budget. Shrink them, or if the growth is intended, run \`pnpm exec tsx bench/check-size.ts --update\` in quality/ and commit size-budget.json with the reason.`,
  );
  process.exit(1);
}
console.log('Every bundle is within its budget.');
