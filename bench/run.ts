// `npm run bench`: builds a large registry once per dialect, then measures the API beside the
// raw SQL and a bare Fastify endpoint in the same run. Prints a table and writes bench/results/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.ts';
import { generateEntities, loadDemoNames } from '../server/src/demo/entities.ts';
import { DEMO_PASSWORD, loadDemo } from '../server/src/demo/demo.ts';
import { seededRandom } from '../server/src/demo/random.ts';
import { createImportService } from '../server/src/modules/registry/import/import.service.ts';
import { systemContext } from '../server/src/platform/context.ts';
import { newId } from '../server/src/platform/ids.ts';
import type { Platform } from '../server/src/platform/platform.ts';
import { createTestPlatform, type TestDatabase } from '../server/test/harness.ts';
import { load, percentile, timeSerial } from './load.ts';

const ENTITIES = Number(process.env.QILA_BENCH_ENTITIES ?? 50_000);
const CONCURRENCY = 50;
const REQUESTS = Number(process.env.QILA_BENCH_REQUESTS ?? 3000);
const PG_URL = process.env.QILA_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Row {
  dialect: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
}
const rows: Row[] = [];
const ms = (v: number) => `${v.toFixed(2)} ms`;

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

async function bareBaseline(): Promise<{ url: string; close: () => Promise<void> }> {
  const bare = Fastify();
  bare.get('/bare', async () => ({ status: 'ok' }));
  // The same JSON round trip an incident report makes, without validation, storage or auth.
  bare.post('/bare', async (req, reply) =>
    reply.status(201).send({ id: newId(), echo: (req.body as object) ?? null }),
  );
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const port = (bare.server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/bare`, close: () => bare.close() };
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const tdb: TestDatabase = await createTestDatabaseFor(dialect);
  const t = await createTestPlatform({ tdb });
  try {
    await loadDemo(t.p, { entities: 10 });
    // The dataset arrives the way a real register would: one CSV file through the import wizard's path.
    const names = loadDemoNames(t.p.config.catalogDir, t.p.config.jurisdiction);
    const entities = generateEntities(t.p.catalog.profile, names, ENTITIES, seededRandom(7));
    const header =
      'registration_no,name_en,kind,sector,subsector,admin_unit,size,annual_turnover_pkr,cii_tier,website';
    const csv = Buffer.from(
      [
        header,
        ...entities.map((e, i) =>
          [
            `B-${i}`,
            `"${e.name_en} ${i}"`,
            e.kind,
            e.sector,
            e.subsector,
            e.admin_unit,
            e.size,
            e.annual_turnover_pkr ?? '',
            e.cii_tier ?? '',
            e.website,
          ].join(','),
        ),
      ].join('\n'),
    );
    const imports = createImportService(t.p);
    const ctx = systemContext('bench');
    const t0 = performance.now();
    const report = await imports.dryRun(ctx, { content: csv, fileName: 'bench.csv' });
    const t1 = performance.now();
    const committed = await imports.commit(ctx, report.id);
    const t2 = performance.now();
    if (report.errorCount || committed.created !== ENTITIES)
      throw new Error(`bench import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
    rows.push({
      dialect,
      measure: `import dry run, ${ENTITIES} rows`,
      value: `${Math.round(ENTITIES / ((t1 - t0) / 1000))} rows/s`,
      baseline: `${((t1 - t0) / 1000).toFixed(1)} s`,
      ratio: '',
    });
    rows.push({
      dialect,
      measure: `import commit, ${ENTITIES} rows`,
      value: `${Math.round(ENTITIES / ((t2 - t1) / 1000))} rows/s`,
      baseline: `${((t2 - t1) / 1000).toFixed(1)} s`,
      ratio: '',
    });

    const { app } = await buildApp(t.p, { serveWeb: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@ncsa.demo', password: DEMO_PASSWORD }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const bare = await bareBaseline();
    const get =
      (url: string, headers: Record<string, string> = {}) =>
      async () =>
        (await fetch(url, { headers })).ok;

    const bareLoad = await load(get(bare.url), { concurrency: CONCURRENCY, requests: REQUESTS });
    const ready = await load(get(`${base}/readyz`), { concurrency: CONCURRENCY, requests: REQUESTS });
    rows.push({
      dialect,
      measure: `GET /readyz, ${CONCURRENCY} clients (req/s, p99)`,
      value: `${Math.round(ready.perSecond)}/s, ${ms(ready.p99)}`,
      baseline: `bare Fastify ${Math.round(bareLoad.perSecond)}/s, ${ms(bareLoad.p99)}`,
      ratio: `${(ready.perSecond / bareLoad.perSecond).toFixed(2)}x`,
    });

    const auth = { cookie };
    const overviewApi = await timeSerial(
      () => fetch(`${base}/api/registry/overview`, { headers: auth }).then((r) => r.text()),
      30,
    );
    const overviewSql = await timeSerial(
      () =>
        sql`select sector, admin_unit, cii_tier, count(*) from entities group by sector, admin_unit, cii_tier`.execute(
          t.p.db,
        ),
      30,
    );
    rows.push({
      dialect,
      measure: `national overview (${ENTITIES} entities) p50/p95`,
      value: `${ms(percentile(overviewApi, 50))} / ${ms(percentile(overviewApi, 95))}`,
      baseline: `full GROUP BY scan ${ms(percentile(overviewSql, 50))}`,
      ratio: `${(percentile(overviewApi, 50) / percentile(overviewSql, 50)).toFixed(2)}x`,
    });

    // A campaign accepted by every entity leaves the national cells as below; the dashboard reads only them.
    const campaignId = await seedAcceptedCampaign(t.p);
    const nationalApi = await timeSerial(
      () => fetch(`${base}/api/campaigns/${campaignId}/national`, { headers: auth }).then((r) => r.text()),
      30,
    );
    const nationalSql = await timeSerial(
      () =>
        sql`select sector, dimension, sum(n), sum(score_sum) from assessment_cells where campaign_id = ${campaignId} group by sector, dimension`.execute(
          t.p.db,
        ),
      30,
    );
    rows.push({
      dialect,
      measure: `national assessment picture (${ENTITIES} accepted) p50/p95`,
      value: `${ms(percentile(nationalApi, 50))} / ${ms(percentile(nationalApi, 95))}`,
      baseline: `SQL over the same cells ${ms(percentile(nationalSql, 50))}`,
      ratio: `${(percentile(nationalApi, 50) / percentile(nationalSql, 50)).toFixed(1)}x`,
    });

    const listApi = await timeSerial(
      () => fetch(`${base}/api/entities?limit=50&sector=finance`, { headers: auth }).then((r) => r.text()),
      30,
    );
    const listSql = await timeSerial(
      () =>
        t.p.db
          .selectFrom('entities')
          .selectAll()
          .where('sector', '=', 'finance')
          .orderBy('name_en')
          .orderBy('id')
          .limit(51)
          .execute(),
      30,
    );
    rows.push({
      dialect,
      measure: 'entity list page (50, one sector) p50/p95',
      value: `${ms(percentile(listApi, 50))} / ${ms(percentile(listApi, 95))}`,
      baseline: `raw SQL ${ms(percentile(listSql, 50))}`,
      ratio: `${(percentile(listApi, 50) / percentile(listSql, 50)).toFixed(1)}x`,
    });
    await benchIntake(dialect, base, bare.url, t.p);

    rows.push({
      dialect,
      measure: 'server RSS after load',
      value: `${Math.round(process.memoryUsage().rss / 1048576)} MiB`,
      baseline: '',
      ratio: '',
    });
    await bare.close();
    await app.close();
  } finally {
    await t.close();
    await tdb.drop();
  }
}

/**
 * Fills the national cells as accepting one ~70-requirement baseline assessment from every entity
 * would: sums per (sector, unit, dimension) and per (sector, requirement), from synthetic levels.
 */
async function seedAcceptedCampaign(p: Platform): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await p.db
    .insertInto('campaigns')
    .values({
      id,
      name: 'Bench campaign',
      description: null,
      frameworks_json: '["pk-ncsa-baseline@2026.1"]',
      selection_json: '{}',
      opens_on: '2026-01-01',
      due_on: '2026-03-01',
      grace_days: 0,
      status: 'open',
      created_by: 'bench',
      created_at: now,
    })
    .execute();
  const groups = await p.db
    .selectFrom('entities')
    .select(['sector', 'admin_unit', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['sector', 'admin_unit'])
    .execute();
  const reqs = await p.db
    .selectFrom('framework_items')
    .select(['item_id', 'dimension'])
    .where('framework_id', '=', 'pk-ncsa-baseline@2026.1')
    .where('assessable', '=', 1)
    .execute();
  const r = seededRandom(11);
  const cells = groups.flatMap((g) =>
    ['legal', 'institutional', 'human', 'technical', 'overall'].map((dimension) => ({
      campaign_id: id,
      sector: g.sector,
      admin_unit: g.admin_unit,
      dimension,
      n: Number(g.n),
      score_sum: Number(g.n) * (40 + r.next() * 30),
    })),
  );
  for (let i = 0; i < cells.length; i += 200)
    await p.db
      .insertInto('assessment_cells')
      .values(cells.slice(i, i + 200))
      .execute();
  const sectors = [...new Set(groups.map((g) => g.sector))];
  const reqCells = sectors.flatMap((sector) =>
    reqs.map((q) => ({
      campaign_id: id,
      sector,
      framework_id: 'pk-ncsa-baseline@2026.1',
      item_id: q.item_id,
      n: 4000,
      score_sum: 4000 * (30 + r.next() * 50),
    })),
  );
  for (let i = 0; i < reqCells.length; i += 200)
    await p.db
      .insertInto('requirement_cells')
      .values(reqCells.slice(i, i + 200))
      .execute();
  return id;
}

async function createTestDatabaseFor(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qila-bench-'));
  if (dialect === 'sqlite') {
    return {
      url: `sqlite:${path.join(dataDir, 'bench.sqlite')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `qila_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

await benchDialect('sqlite');
if (await postgresAvailable()) await benchDialect('postgres');
else console.warn(`PostgreSQL not reachable at ${PG_URL}: measured SQLite only.`);

const widths = (['dialect', 'measure', 'value', 'baseline', 'ratio'] as const).map((k) =>
  Math.max(k.length, ...rows.map((r) => r[k].length)),
);
const line = (r: Record<string, string>) =>
  (['dialect', 'measure', 'value', 'baseline', 'ratio'] as const)
    .map((k, i) => r[k]!.padEnd(widths[i]!))
    .join(' | ');
console.log(
  `\nQila bench: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 1073741824)} GiB, node ${process.version}`,
);
console.log(
  line({ dialect: 'dialect', measure: 'measure', value: 'value', baseline: 'baseline', ratio: 'ratio' }),
);
for (const r of rows) console.log(line(r as unknown as Record<string, string>));
const dir = path.resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: { cores: os.cpus().length, node: process.version },
      entities: ENTITIES,
      rows,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwritten ${path.relative(process.cwd(), file)}`);

/**
 * Incident intake through the real API: an entity's SIEM posting reports with an API token and
 * an Idempotency-Key, 50 at a time, beside a bare Fastify POST in the same run; then the national
 * incident view beside the SQL over the cells it reads.
 */
async function benchIntake(dialect: string, base: string, bareUrl: string, p: Platform): Promise<void> {
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ciso@telecom-entity.demo', password: DEMO_PASSWORD }),
  });
  const session = (await signIn.json()) as { csrfToken: string };
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const minted = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify({ name: 'bench SIEM', permissions: ['incidents.report', 'incidents.read'] }),
  });
  const { token } = (await minted.json()) as { token: string };
  const report = (i: number) =>
    JSON.stringify({
      title: `Bench report ${i}`,
      summary: 'Automated report from the SIEM during the benchmark.',
      severity: i % 10 === 0 ? 'high' : 'low',
      rsitClass: 'intrusion-attempts',
      rsitType: 'brute-force',
      awareAt: new Date(p.clock.now().getTime() - 3_600_000).toISOString(),
      suspectedMalicious: true,
      crossBorder: false,
      indicators: [{ type: 'ipv4', value: `198.51.100.${i % 250}` }],
      tlp: 'GREEN',
    });
  let n = 0;
  const post = (url: string, headers: Record<string, string>) => async () => {
    const i = n++;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${dialect}-${i}`, ...headers },
      body: report(i),
    });
    const body = await res.text();
    if (res.status !== 201 && i < 2) console.error(`intake ${res.status}: ${body.slice(0, 300)}`);
    return res.status === 201;
  };
  const requests = Math.max(200, Math.round(REQUESTS / 3));
  const bare = await load(post(bareUrl, {}), { concurrency: CONCURRENCY, requests });
  n = 0;
  const before = Number(
    (
      await p.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const intake = await load(post(`${base}/api/incidents`, { authorization: `Bearer ${token}` }), {
    concurrency: CONCURRENCY,
    requests,
  });
  const after = Number(
    (
      await p.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (intake.errors || after - before !== requests)
    throw new Error(
      `intake lost or failed reports: ${intake.errors} errors, ${after - before} of ${requests} stored`,
    );
  rows.push({
    dialect,
    measure: `incident intake, ${CONCURRENCY} clients (reports/s, p50/p99)`,
    value: `${Math.round(intake.perSecond)}/s, ${ms(intake.p50)} / ${ms(intake.p99)}`,
    baseline: `bare Fastify POST ${Math.round(bare.perSecond)}/s, ${ms(bare.p50)} / ${ms(bare.p99)}`,
    ratio: `${(intake.perSecond / bare.perSecond).toFixed(3)}x`,
  });
  const authCookie = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'analyst@ncsa.demo', password: DEMO_PASSWORD }),
  }).then((r) => r.headers.get('set-cookie')!.split(';')[0]!);
  const viewApi = await timeSerial(
    () =>
      fetch(`${base}/api/incidents/national?months=12`, { headers: { cookie: authCookie } }).then((r) =>
        r.text(),
      ),
    30,
  );
  const viewSql = await timeSerial(
    () =>
      sql`select month, sector, sum(incidents), sum(report_minutes) from incident_cells group by month, sector`.execute(
        p.db,
      ),
    30,
  );
  rows.push({
    dialect,
    measure: `national incident view (${after} incidents) p50/p95`,
    value: `${ms(percentile(viewApi, 50))} / ${ms(percentile(viewApi, 95))}`,
    baseline: `SQL over the same cells ${ms(percentile(viewSql, 50))}`,
    ratio: `${(percentile(viewApi, 50) / percentile(viewSql, 50)).toFixed(1)}x`,
  });
}
