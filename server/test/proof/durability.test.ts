import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase, openSqlite, type Database } from '../../src/db/database.ts';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { createTestDatabase, createTestPlatform, testEnv, type TestDatabase } from '../harness.ts';
import { runCli, startServer, type RunningServer } from '../processes.ts';

// A crash (SIGKILL) in the middle of a burst of incident reports loses nothing that was
// acknowledged, leaves nothing half-written, and a retry with the same Idempotency-Key
// never creates a second incident.

// CI sends 300 reports; the bench runs the long version (QILA_DURABILITY_REPORTS=3000).
const TOTAL = Number(process.env.QILA_DURABILITY_REPORTS ?? 300);
const KILL_AFTER = Math.round(TOTAL * 0.4);
const CONCURRENCY = 24;

interface Submission {
  key: string;
  body: Record<string, unknown>;
  state: 'not-sent' | 'in-flight' | 'answered' | 'lost';
  status?: number;
  created?: { id: string; reference: string; duties: unknown[] };
}

describe('durability: SIGKILL during concurrent incident reports', () => {
  let tdb: TestDatabase;
  let server: RunningServer | undefined;
  let token = '';
  const subs: Submission[] = [];

  const env = () => testEnv(tdb, { QILA_DEMO: '0' });
  const post = (url: string, s: Submission) =>
    fetch(`${url}/api/incidents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': s.key,
      },
      body: JSON.stringify(s.body),
    });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // Seed the registry and the demo people in-process; the server then owns the database.
    const seed = await createTestPlatform({ tdb });
    try {
      await loadDemo(seed.p, { entities: 40, incidents: false });
    } finally {
      await seed.close();
    }
    server = await startServer(env());
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ciso@telecom-entity.demo', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const minted = await fetch(`${server.url}/api/tokens`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'SIEM', permissions: ['incidents.report', 'incidents.read'] }),
    });
    expect(minted.status).toBe(201);
    token = ((await minted.json()) as { token: string }).token;
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await tdb?.drop();
  });

  it(
    'keeps every acknowledged report and no half-written one, and replays retries',
    async () => {
      const run = Math.random().toString(36).slice(2, 8);
      const awareAt = new Date(Date.now() - 3_600_000).toISOString();
      for (let i = 0; i < TOTAL; i++)
        subs.push({
          key: `dur-${run}-${String(i).padStart(4, '0')}`,
          state: 'not-sent',
          body: {
            title: `Brute force ${run} #${i}`,
            summary: `Password spraying against the VPN, burst ${run}, report ${i}.`,
            // High severity owes statutory reports (duties and deadline jobs); low owes none.
            severity: i % 2 ? 'low' : 'high',
            rsitClass: 'intrusion-attempts',
            rsitType: 'brute-force',
            awareAt,
            suspectedMalicious: true,
            crossBorder: false,
            tlp: 'GREEN',
          },
        });

      // Fire the burst; the first answer past KILL_AFTER pulls the plug while others are in flight.
      const first = server!;
      let next = 0;
      let answered = 0;
      let killed = false;
      const unexpected: string[] = [];
      const worker = async () => {
        while (!killed && next < TOTAL) {
          const s = subs[next++]!;
          s.state = 'in-flight';
          try {
            const res = await post(first.url, s);
            const text = await res.text();
            s.state = 'answered';
            s.status = res.status;
            if (res.status === 201) s.created = JSON.parse(text) as Submission['created'];
            else unexpected.push(`${s.key}: ${res.status} ${text.slice(0, 200)}`);
            if (++answered === KILL_AFTER && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          } catch {
            s.state = 'lost';
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await first.stop('SIGKILL');
      server = undefined;

      expect(unexpected, 'answers other than 201 before the crash').toEqual([]);
      const acked = subs.filter((s) => s.state === 'answered' && s.status === 201);
      const lost = subs.filter((s) => s.state === 'lost' || s.state === 'in-flight');
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(lost.length, 'requests in flight when the process died').toBeGreaterThan(0);

      // The files or tables as the crash left them.
      const target = parseDatabaseUrl(tdb.url, tdb.dataDir);
      if (target.dialect === 'sqlite') {
        const h = openSqlite(target.file);
        expect(h.pragma('integrity_check', { simple: true })).toBe('ok');
        h.close();
      }
      const verify = await runCli(['audit', 'verify'], env());
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/Audit trail intact/);

      server = await startServer(env());
      const second = server;
      const d: Database = await openDatabase(target);
      try {
        await expectNothingHalfWritten(d);

        // Every acknowledged report is there, unchanged, and readable through the API.
        const rows = new Map(
          (
            await d.db
              .selectFrom('incidents')
              .select(['id', 'reference', 'title', 'idempotency_key'])
              .where('idempotency_key', 'like', `dur-${run}-%`)
              .execute()
          ).map((r) => [r.idempotency_key!, r]),
        );
        for (const s of acked) {
          const row = rows.get(s.key);
          expect(row, `acknowledged ${s.key} is missing after the crash`).toBeDefined();
          expect(row).toMatchObject({
            id: s.created!.id,
            reference: s.created!.reference,
            title: s.body.title,
          });
        }
        const reads = await Promise.all(
          acked.map((s) =>
            fetch(`${second.url}/api/incidents/${s.created!.id}`, {
              headers: { authorization: `Bearer ${token}` },
            }).then(async (r) => ({
              s,
              status: r.status,
              body: (await r.json()) as Record<string, unknown>,
            })),
          ),
        );
        for (const r of reads) {
          expect(r.status).toBe(200);
          expect(r.body).toMatchObject({
            id: r.s.created!.id,
            reference: r.s.created!.reference,
            title: r.s.body.title,
          });
          expect(r.body.duties).toHaveLength(r.s.created!.duties.length);
        }
        // Nothing that was never sent exists.
        for (const s of subs.filter((x) => x.state === 'not-sent')) expect(rows.has(s.key)).toBe(false);

        // Retries: the lost ones, and a few acknowledged ones, with the same key and body.
        const retried = [...lost, ...acked.slice(0, 10)];
        const again = await Promise.all(
          retried.map(async (s) => {
            const res = await post(second.url, s);
            return {
              s,
              status: res.status,
              replayed: res.headers.get('idempotent-replayed') === 'true',
              body: (await res.json()) as { id: string; reference: string },
            };
          }),
        );
        for (const r of again) {
          expect(r.status, JSON.stringify(r.body)).toBe(201);
          const before = rows.get(r.s.key);
          // Present before the retry: the same incident comes back. Absent: it is created now.
          expect(r.replayed).toBe(Boolean(before));
          if (before) expect(r.body).toMatchObject({ id: before.id, reference: before.reference });
        }
        const perKey = await d.db
          .selectFrom('incidents')
          .select(['idempotency_key', (eb) => eb.fn.countAll<number>().as('n')])
          .where('idempotency_key', 'like', `dur-${run}-%`)
          .groupBy('idempotency_key')
          .execute();
        expect(perKey.filter((k) => Number(k.n) !== 1)).toEqual([]);
        expect(perKey).toHaveLength(acked.length + lost.length);
        await expectNothingHalfWritten(d);
      } finally {
        await d.close();
      }
      const after = await runCli(['audit', 'verify'], env());
      expect(after.code, after.stderr).toBe(0);
    },
    Math.max(120_000, TOTAL * 100),
  );
});

/** Every incident has its number, first report, duties (when owed), timeline entry and audit record. */
async function expectNothingHalfWritten(d: Database): Promise<void> {
  const count = (table: 'incident_reports' | 'incident_duties') =>
    sql<number>`(select count(*) from ${sql.table(table)} t where t.incident_id = incidents.id)`;
  const rows = await d.db
    .selectFrom('incidents')
    .select([
      'id',
      'reference',
      'severity',
      count('incident_reports').as('reports'),
      count('incident_duties').as('duties'),
      sql<number>`(select count(*) from incident_events e where e.incident_id = incidents.id and e.kind = 'reported')`.as(
        'reported',
      ),
      sql<number>`(select count(*) from audit_log a where a.object_id = incidents.id and a.action = 'incident.report')`.as(
        'audited',
      ),
    ])
    .execute();
  expect(rows.length).toBeGreaterThan(0);
  const broken = rows.filter(
    (r) =>
      !/^INC-\d{4}-\d{6}$/.test(r.reference) ||
      Number(r.reports) < 1 ||
      (r.severity === 'high' ? Number(r.duties) < 1 : Number(r.duties) !== 0) ||
      Number(r.reported) !== 1 ||
      Number(r.audited) !== 1,
  );
  expect(broken, 'incidents missing part of their record').toEqual([]);
  // The monthly counter moved exactly once per incident.
  const cells = await d.db
    .selectFrom('incident_cells')
    .select((eb) => eb.fn.sum<number>('incidents').as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(cells.n)).toBe(rows.length);
}
