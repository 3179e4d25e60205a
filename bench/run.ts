// `npm run bench`: builds the country-sized datasets once (cached in bench/cache/), then runs the
// real server as its own process on a copy of each and measures it beside the raw SQL and a bare
// Fastify endpoint measured in the same run. Load generators, the bare endpoint and the raw-SQL
// intake each run in their own process, so no baseline shares an event loop with what it measures.
// Prints a table and writes bench/results/<date>.json. QILA_BENCH_ONLY=intake measures intake only.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DEMO_PASSWORD } from '../server/src/demo/demo.ts';
import { SCALES, type Scale } from '../server/src/demo/scale.ts';
import { ROOT, runCli, startServer, type RunningServer } from '../server/test/processes.ts';
import { captureSince, captureSincePg, rowidMarks, snapshotPg } from './capture.ts';
import { percentile, timeSerial, type LoadResult } from './load.ts';
import { reportBody } from './report-body.ts';

const CONCURRENCY = 50;
const INTAKE = Number(process.env.QILA_BENCH_REPORTS ?? 1500);
const IMPORT_ROWS = 10_000;
const RUN_SCALES = (process.env.QILA_BENCH_SCALES ?? 'medium,large').split(',') as Scale[];
const PG_URL = process.env.QILA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CACHE = path.join(ROOT, 'bench', 'cache');
const ONLY_INTAKE = process.env.QILA_BENCH_ONLY === 'intake';

interface Row {
  dialect: string;
  scale: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
}
const rows: Row[] = [];
const ms = (v: number) => `${v < 1 ? v.toFixed(2) : v.toFixed(1)} ms`;
const pgUrl = (db: string) => {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return u.toString();
};

/** Changes to the schema or the generators invalidate the cached datasets. */
function fingerprint(): string {
  const h = createHash('sha256');
  for (const dir of ['server/src/db/migrations', 'server/src/demo'])
    for (const f of readdirSync(path.join(ROOT, dir)).sort())
      h.update(f).update(readFileSync(path.join(ROOT, dir, f)));
  return h.digest('hex').slice(0, 16);
}

async function postgresAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function admin(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

/** The dataset for a dialect and scale, built once and reused while the fingerprint matches. */
async function cached(
  dialect: 'sqlite' | 'postgres',
  scale: Scale,
): Promise<{ env: NodeJS.ProcessEnv; seconds: number | null }> {
  mkdirSync(CACHE, { recursive: true });
  const marker = path.join(CACHE, `${dialect}-${scale}.json`);
  const fp = fingerprint();
  const dataDir = path.join(CACHE, `${dialect}-${scale}`);
  const env: NodeJS.ProcessEnv =
    dialect === 'sqlite'
      ? { QILA_DATA_DIR: dataDir }
      : { QILA_DATA_DIR: dataDir, QILA_DATABASE_URL: pgUrl(`qila_bench_${scale}`) };
  if (existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { fp: string }).fp === fp)
    return { env, seconds: null };
  rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'postgres') {
    await admin(`drop database if exists qila_bench_${scale}`);
    await admin(`create database qila_bench_${scale}`);
  }
  process.stderr.write(`building the ${scale} dataset on ${dialect} (cached afterwards)\n`);
  const t0 = performance.now();
  const res = await runCli(['demo', '--scale', scale], { ...env, QILA_LOG_LEVEL: 'warn' }, 20 * 60_000);
  if (res.code !== 0) throw new Error(`qila demo --scale ${scale} failed:\n${res.stderr}`);
  process.stderr.write(res.stderr);
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(marker, JSON.stringify({ fp, seconds }));
  return { env, seconds };
}

/** A throwaway copy of the cached dataset, so measurements that write leave the cache as built. */
async function workingCopy(dialect: 'sqlite' | 'postgres', scale: Scale, env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `qila-bench-${scale}-`));
  if (dialect === 'sqlite') {
    cpSync(env.QILA_DATA_DIR!, dir, { recursive: true });
    return { env: { QILA_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `qila_bench_run_${process.pid}_${scale}`;
  await admin(`drop database if exists ${name}`);
  await admin(`create database ${name} template qila_bench_${scale}`);
  return {
    env: { QILA_DATA_DIR: dir, QILA_DATABASE_URL: pgUrl(name) },
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      await admin(`drop database if exists ${name}`);
    },
  };
}

/** Raw SQL against the same database the server uses. */
function rawSql(dialect: 'sqlite' | 'postgres', env: NodeJS.ProcessEnv) {
  if (dialect === 'sqlite') {
    const db = new Database(path.join(env.QILA_DATA_DIR!, 'qila.sqlite'), { readonly: true });
    return {
      query: async (text: string, params: unknown[] = []) =>
        db.prepare(text.replace(/\$\d+/g, '?')).all(...params),
      close: async () => db.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: env.QILA_DATABASE_URL, max: 2 });
  return {
    query: async (text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as unknown[],
    close: () => pool.end(),
  };
}

/** CPU time (user + system) a process has used so far, in milliseconds: steadier than throughput on a busy machine. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function signIn(base: string, email: string) {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken };
}

/** Runs a bench script (TypeScript, through tsx) as its own process; resolves with its JSON line. */
function child<T>(script: string, options: object, timeoutMs = 10 * 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench', script), JSON.stringify(options)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      else reject(new Error(`bench/${script} exited with ${code}`));
    });
  });
}

/** The bare Fastify endpoint in its own process (bench/bare-server.ts). */
function bareBaseline(): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'bare-server.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, close: () => proc.kill('SIGTERM') });
    });
    proc.on('exit', (code) => reject(new Error(`bench/bare-server.ts exited with ${code}`)));
  });
}

const loadFigure = (r: LoadResult) => `${Math.round(r.perSecond)}/s, ${ms(r.p50)} / ${ms(r.p99)}`;

function runVitest(file: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', file],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('exit', (code) => resolve(code));
  });
}

async function benchScale(dialect: 'sqlite' | 'postgres', scale: Scale): Promise<void> {
  const add = (measure: string, value: string, baseline = '', ratio = '') =>
    rows.push({ dialect, scale, measure, value, baseline, ratio });
  const data = await cached(dialect, scale);
  if (data.seconds !== null) add('dataset build (qila demo --scale)', `${data.seconds.toFixed(0)} s`);
  const copy = await workingCopy(dialect, scale, data.env);
  let server: RunningServer | undefined;
  const raw = rawSql(dialect, copy.env);
  try {
    const t0 = performance.now();
    // QILA_BENCH_CPU_PROF=<dir>: the server writes a CPU profile there when it stops
    // (scripts/bench-cpu-prof.mjs); `npx tsx bench/profile-top.ts <file>` summarises it.
    const prof = process.env.QILA_BENCH_CPU_PROF;
    server = await startServer({
      ...copy.env,
      QILA_LOG_LEVEL: 'warn',
      ...(prof
        ? {
            NODE_OPTIONS: `--import=${path.join(ROOT, 'scripts', 'bench-cpu-prof.mjs')}`,
            QILA_BENCH_CPU_PROF_DIR: path.resolve(prof),
          }
        : {}),
    });
    for (
      let i = 0;
      i < 600 &&
      !(await fetch(`${server.url}/readyz`)
        .then((r) => r.ok)
        .catch(() => false));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    add('start-up to ready', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const base = server.url;
    const pid = server.child.pid!;
    await new Promise((r) => setTimeout(r, 2000));
    add('server RSS at rest', `${rssMiB(pid)} MiB`);

    if (!ONLY_INTAKE) await dashboards(base, raw, add);
    await intake(dialect, scale, base, pid, copy.env, add);
    if (!ONLY_INTAKE) await bulkImport(base, scale, add);
  } finally {
    await server?.stop();
    await raw.close();
    await copy.drop();
  }
}

type Add = (measure: string, value: string, baseline?: string, ratio?: string) => void;

async function dashboards(base: string, raw: ReturnType<typeof rawSql>, add: Add): Promise<void> {
  const analyst = await signIn(base, 'analyst@ncsa.demo');
  const get = (url: string) => () =>
    fetch(`${base}${url}`, { headers: { cookie: analyst.cookie } }).then((r) => r.text());
  const compare = async (measure: string, url: string, sqlText: string, params: unknown[] = []) => {
    await get(url)();
    const api = await timeSerial(get(url), 30);
    const sqlTimes = await timeSerial(() => raw.query(sqlText, params), 30);
    add(
      `${measure} p50/p95`,
      `${ms(percentile(api, 50))} / ${ms(percentile(api, 95))}`,
      `SQL ${ms(percentile(sqlTimes, 50))}`,
      `${(percentile(api, 50) / Math.max(0.01, percentile(sqlTimes, 50))).toFixed(1)}x`,
    );
  };
  const [latest] = (await raw.query('select id from campaigns order by created_at desc limit 1')) as {
    id: string;
  }[];
  await compare(
    'dashboard: registry overview',
    '/api/registry/overview',
    'select sector, admin_unit, tier, kind, n from entity_counts',
  );
  await compare(
    'dashboard: assessment picture',
    `/api/campaigns/${latest!.id}/national`,
    'select * from assessment_cells where campaign_id = $1',
    [latest!.id],
  );
  await compare(
    'dashboard: incidents, 12 months',
    '/api/incidents/national?months=12',
    'select month, sector, sum(incidents) from incident_cells where month >= $1 group by month, sector',
    [new Date(Date.now() - 335 * 86_400_000).toISOString().slice(0, 7)],
  );
  await compare(
    'dashboard: compliance map',
    '/api/supervision/national',
    'select sector, admin_unit, status, n from compliance_counts',
  );
  await compare(
    'entity list (50, one sector)',
    '/api/entities?limit=50&sector=finance',
    "select * from entities where sector = 'finance' order by name_en, id limit 51",
  );
  const ids = (await raw.query('select id from entities order by id limit 30 offset 1000')) as {
    id: string;
  }[];
  let k = 0;
  const pageApi = await timeSerial(
    () =>
      fetch(`${base}/api/entities/${ids[k++ % ids.length]!.id}`, {
        headers: { cookie: analyst.cookie },
      }).then((r) => r.text()),
    30,
  );
  k = 0;
  const pageSql = await timeSerial(
    () => raw.query('select * from entities where id = $1', [ids[k++ % ids.length]!.id]),
    30,
  );
  add(
    'entity page p50/p95',
    `${ms(percentile(pageApi, 50))} / ${ms(percentile(pageApi, 95))}`,
    `SQL ${ms(percentile(pageSql, 50))}`,
    `${(percentile(pageApi, 50) / Math.max(0.01, percentile(pageSql, 50))).toFixed(1)}x`,
  );
}

/**
 * Incident intake: an entity's SIEM posting reports with an API token and an Idempotency-Key,
 * from a generator in its own process, beside the bare Fastify POST (same body, same concurrency)
 * and the raw SQL of the rows one intake writes (one commit per report), each in its own process.
 */
async function intake(
  dialect: 'sqlite' | 'postgres',
  scale: Scale,
  base: string,
  pid: number,
  env: NodeJS.ProcessEnv,
  add: Add,
): Promise<void> {
  const ciso = await signIn(base, 'ciso@telecom-entity.demo');
  const minted = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: ciso.cookie, 'x-csrf-token': ciso.csrf },
    body: JSON.stringify({ name: 'bench SIEM', permissions: ['incidents.report'] }),
  });
  const { token } = (await minted.json()) as { token: string };
  const generate = (url: string, headers: Record<string, string>, keyPrefix: string) =>
    child<LoadResult>('generator.ts', {
      url,
      headers,
      concurrency: CONCURRENCY,
      requests: INTAKE,
      keyPrefix,
    });

  const bare = await bareBaseline();
  const bareLoad = await generate(bare.url, {}, 'bare');
  bare.close();

  // One report through the API, to learn the rows an intake writes.
  const file = path.join(env.QILA_DATA_DIR!, 'qila.sqlite');
  const marks = dialect === 'sqlite' ? rowidMarks(file) : undefined;
  const snapshot = dialect === 'postgres' ? await snapshotPg(env.QILA_DATABASE_URL!) : undefined;
  const probeKey = `bench-probe-${dialect}-${scale}`;
  const probe = await fetch(`${base}/api/incidents`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': probeKey,
    },
    body: reportBody(0),
  });
  const { id: probeId } = (await probe.json()) as { id: string };
  if (probe.status !== 201) throw new Error(`the probe report answered ${probe.status}`);
  const capture = marks
    ? captureSince(file, marks, [probeKey])
    : await captureSincePg(env.QILA_DATABASE_URL!, snapshot!, probeId, [probeKey]);
  const captureFile = path.join(os.tmpdir(), `qila-bench-capture-${dialect}-${scale}.json`);
  writeFileSync(captureFile, JSON.stringify(capture));

  const raw = rawSql(dialect, env);
  const count = async () =>
    Number(((await raw.query('select count(*) as n from incidents')) as { n: number }[])[0]!.n);
  const before = await count();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 200);
  const loadAt = os.loadavg()[0]!;
  const cpu0 = cpuMs(pid);
  const api = await generate(
    `${base}/api/incidents`,
    { authorization: `Bearer ${token}` },
    `bench-${dialect}-${scale}`,
  );
  clearInterval(sampler);
  const cpuPerReport = (cpuMs(pid) - cpu0) / INTAKE;
  const stored = (await count()) - before;
  await raw.close();
  process.stderr.write(`intake on ${dialect} ${scale}: ${loadFigure(api)} (bare ${loadFigure(bareLoad)})\n`);
  if (api.errors || stored !== INTAKE)
    throw new Error(`intake lost or failed reports: ${api.errors} errors, ${stored} of ${INTAKE} stored`);
  const sqlOnly = await child<LoadResult>('raw-intake.ts', {
    dialect,
    target: dialect === 'sqlite' ? file : env.QILA_DATABASE_URL,
    capture: captureFile,
    reports: INTAKE,
    connections: 10,
  });
  const tables = new Set(capture.rows.map((r) => r.table)).size;
  const title = `incident intake, ${CONCURRENCY} clients (reports/s, p50/p99)`;
  add(
    title,
    loadFigure(api),
    `bare Fastify POST ${loadFigure(bareLoad)}`,
    `${(api.perSecond / bareLoad.perSecond).toFixed(3)}x`,
  );
  add(
    `  …beside raw SQL (${capture.rows.length} rows in ${tables} tables, one commit a report)`,
    loadFigure(api),
    `raw SQL ${loadFigure(sqlOnly)}`,
    `${(api.perSecond / sqlOnly.perSecond).toFixed(3)}x`,
  );
  add('  …server CPU time per report', ms(cpuPerReport), '', `${Math.round(1000 / cpuPerReport)}/s a core`);
  add('  …machine load (1-minute average) at the start', loadAt.toFixed(1));
  add('server RSS under load (peak)', `${peak} MiB`);
}

async function bulkImport(base: string, scale: Scale, add: Add): Promise<void> {
  // Bulk import through the API: dry run and commit of new registry rows.
  const adminSession = await signIn(base, 'admin@ncsa.demo');
  const csv = [
    'registration_no,name_en,kind,sector,subsector,admin_unit,size',
    ...Array.from(
      { length: IMPORT_ROWS },
      (_, i) => `BENCH-${scale}-${i},Bench Import ${i},private_enterprise,it,it.software,PK-PB,small`,
    ),
  ].join('\n');
  const boundary = '----qilabench';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const i0 = performance.now();
  const dry = await fetch(`${base}/api/registry/imports`, {
    method: 'POST',
    headers: {
      cookie: adminSession.cookie,
      'x-csrf-token': adminSession.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
  const dryJson = (await dry.json()) as { id: string; errorCount: number };
  const i1 = performance.now();
  const commit = await fetch(`${base}/api/registry/imports/${dryJson.id}/commit`, {
    method: 'POST',
    headers: { cookie: adminSession.cookie, 'x-csrf-token': adminSession.csrf },
  });
  await commit.text();
  const i2 = performance.now();
  if (!dry.ok || dryJson.errorCount || !commit.ok)
    throw new Error(`bench import failed: ${dry.status} ${commit.status}`);
  add(
    `registry import, ${IMPORT_ROWS} rows (dry run / commit)`,
    `${Math.round(IMPORT_ROWS / ((i1 - i0) / 1000))} / ${Math.round(IMPORT_ROWS / ((i2 - i1) / 1000))} rows/s`,
  );
}

const started = performance.now();
const wanted = (process.env.QILA_BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const dialects: ('sqlite' | 'postgres')[] = wanted.includes('sqlite') ? ['sqlite'] : [];
if (wanted.includes('postgres') && (await postgresAvailable())) dialects.push('postgres');
else if (wanted.includes('postgres'))
  console.warn(`PostgreSQL is not reachable at ${PG_URL}: measuring SQLite only.`);
for (const dialect of dialects) for (const scale of RUN_SCALES) await benchScale(dialect, scale);

// The long durability run: thousands of reports, SIGKILL mid-stream, nothing answered 201 lost.
for (const dialect of ONLY_INTAKE ? [] : dialects) {
  const t0 = performance.now();
  const res = await runVitest('server/test/proof/durability.test.ts', {
    QILA_DURABILITY_REPORTS: process.env.QILA_DURABILITY_REPORTS ?? '3000',
    ...(dialect === 'postgres' ? { QILA_TEST_PG_URL: PG_URL } : {}),
  });
  rows.push({
    dialect,
    scale: '-',
    measure: 'durability: SIGKILL during 3,000 reports, restart, check',
    value: res === 0 ? 'nothing lost, no duplicates' : 'FAILED (see output above)',
    baseline: '',
    ratio: `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  });
}

const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const cols = ['dialect', 'scale', 'measure', 'value', 'baseline', 'ratio'] as const;
const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))]));
console.log(
  `Qila bench: ${machine}; scales ${RUN_SCALES.map((s) => `${s} (${SCALES[s].entities} entities, ${SCALES[s].incidents} incidents)`).join(', ')}`,
);
console.log(cols.map((c) => c.padEnd(width[c]!)).join(' | '));
for (const r of rows) console.log(cols.map((c) => r[c].padEnd(width[c]!)).join(' | '));
console.log(`\nbench finished in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
const out = path.join(ROOT, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ machine, scales: RUN_SCALES.map((s) => ({ scale: s, ...SCALES[s] })), rows }, null, 2)}\n`,
);
console.log(`written ${path.relative(ROOT, out)}`);
