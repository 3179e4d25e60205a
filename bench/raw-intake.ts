// The raw-SQL baseline as its own process: the rows one intake writes (bench/capture.ts), inserted
// with fresh ids and one durable commit per report, with the server's own connection settings.
// `node --import tsx bench/raw-intake.ts '<json options>'` prints a LoadResult as JSON.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openSqlite } from '../server/src/db/database.ts';
import type { Capture } from './capture.ts';
import { percentile, type LoadResult } from './load.ts';

interface Options {
  dialect: 'sqlite' | 'postgres';
  /** The SQLite file or the PostgreSQL URL. */
  target: string;
  capture: string;
  reports: number;
  /** Parallel writers on PostgreSQL (the server's pool size); SQLite has one writer. */
  connections: number;
}
const opts = JSON.parse(process.argv[2]!) as Options;
const capture = JSON.parse(readFileSync(opts.capture, 'utf8')) as Capture;

// Every report's statements and values are prepared before the clock starts.
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so an identity that contains a shorter one is rewritten whole.
const byLength = [...capture.identities].sort((a, b) => b.length - a.length);
const pattern = new RegExp(byLength.map(escape).join('|'), 'g');
const statements = capture.rows.map((r) => {
  const cols = Object.keys(r.values);
  const list = cols.map((c) => `"${c}"`).join(', ');
  return {
    // A row keyed by something other than an id (a new cell of a month) exists after the first report.
    sqlite: `insert into "${r.table}" (${list}) values (${cols.map(() => '?').join(', ')}) on conflict do nothing`,
    postgres: `insert into "${r.table}" (${list}) values (${cols.map((_, k) => `$${k + 1}`).join(', ')}) on conflict do nothing`,
    values: Object.values(r.values),
  };
});
const reportValues = (i: number) =>
  statements.map((s) =>
    s.values.map((v) => (typeof v === 'string' ? v.replace(pattern, (m) => `${m}-raw${i}`) : v)),
  );
const all = Array.from({ length: opts.reports }, (_, i) => reportValues(i));

const latencies: number[] = [];
const started = performance.now();
if (opts.dialect === 'sqlite') {
  const db = openSqlite(opts.target);
  const prepared = statements.map((s) => db.prepare(s.sqlite));
  const write = db.transaction((values: unknown[][]) =>
    values.forEach((v, k) => {
      try {
        prepared[k]!.run(...v);
      } catch (err) {
        throw new Error(`replaying a row of ${capture.rows[k]!.table}: ${(err as Error).message}`);
      }
    }),
  );
  for (const values of all) {
    const t = performance.now();
    write.immediate(values);
    latencies.push(performance.now() - t);
  }
  db.close();
} else {
  const pool = new pg.Pool({ connectionString: opts.target, max: opts.connections });
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      const client = await pool.connect();
      try {
        while (next < all.length) {
          const values = all[next++]!;
          const t = performance.now();
          await client.query('begin');
          for (let k = 0; k < statements.length; k++) await client.query(statements[k]!.postgres, values[k]);
          await client.query('commit');
          latencies.push(performance.now() - t);
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const result: LoadResult = {
  requests: latencies.length,
  seconds,
  perSecond: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
  errors: 0,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
