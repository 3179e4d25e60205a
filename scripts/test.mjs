// `npm test`: the whole suite. Server tests on SQLite, the same tests on a fresh PostgreSQL
// database, then the browser journeys. CI (CI=true) fails when PostgreSQL or Chromium is
// missing; a developer's machine without them is told what was left out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.QILA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const chromium = process.env.QILA_CHROMIUM ?? '/usr/bin/chromium';
const extraArgs = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function vitest(label, config, env = {}) {
  console.log(`\n=== ${label} ===`);
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'qila-vitest-')), 'result.json');
  const args = [
    path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ];
  if (config) args.push('--config', config);
  const res = spawnSync(process.execPath, [...args, ...extraArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  let summary = null;
  if (existsSync(out)) summary = JSON.parse(readFileSync(out, 'utf8'));
  if (summary) {
    totals.passed += summary.numPassedTests;
    totals.failed += summary.numFailedTests;
    totals.skipped += summary.numPendingTests + summary.numTodoTests;
  }
  if (res.status !== 0 || !summary || summary.numFailedTests > 0 || summary.numTotalTests === 0)
    problems.push(`${label} failed`);
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

vitest('server tests on SQLite');

if (await postgresReachable()) {
  vitest('server tests on PostgreSQL', undefined, { QILA_TEST_PG_URL: pgUrl });
} else if (ci) {
  problems.push(`PostgreSQL is not reachable at ${pgUrl}`);
} else {
  console.warn(
    `\nPostgreSQL is not reachable at ${pgUrl}: the PostgreSQL pass was left out (set QILA_TEST_PG_URL).`,
  );
}

if (existsSync(chromium)) {
  vitest('browser journeys', 'e2e/vitest.config.ts', { QILA_CHROMIUM: chromium });
} else if (ci) {
  problems.push(`Chromium is missing at ${chromium}`);
} else {
  console.warn(
    `\nChromium is not installed at ${chromium}: browser journeys were left out (apt-get install -y chromium).`,
  );
}

console.log('');
for (const p of problems) console.error(`- ${p}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(problems.length ? 1 : 0);
