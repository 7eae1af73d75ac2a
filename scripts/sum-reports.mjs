// Sums the vitest JSON reports of every workspace package and of the release test into one closing line,
// `N passed, N failed`, and fails when a package with tests left no report or nothing passed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
const problems = [];
// Workspace packages, plus the release test, which lives outside the workspace (see scripts/release-test).
const dirs = [
  ...['packages', 'apps'].flatMap((group) => readdirSync(group).map((name) => join(group, name))),
  join('scripts', 'release-test'),
];
for (const dir of dirs) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
  const report = join(dir, 'reports', 'vitest.json');
  if (!existsSync(report)) {
    problems.push(`${dir}: no test report at ${report}`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  const missing =
    r.numTotalTests - r.numPassedTests - r.numFailedTests - (r.numPendingTests ?? 0) - (r.numTodoTests ?? 0);
  if (r.numTotalTests === 0) problems.push(`${dir}: the report counts no tests`);
  if (missing > 0) problems.push(`${dir}: ${missing} tests neither passed nor failed`);
  if (!r.success && r.numFailedTests === 0) problems.push(`${dir}: the run failed outside any test`);
  console.log(`${dir}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
for (const p of problems) console.error(`error: ${p}`);
if (passed === 0) console.error('error: nothing passed');
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
