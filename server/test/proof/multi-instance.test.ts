import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/demo.ts';
import { createUserService } from '../../src/modules/users/users.service.ts';
import { systemContext } from '../../src/platform/context.ts';
import {
  createTestDatabase,
  createTestPlatform,
  PG_BASE_URL,
  TEST_PASSWORD,
  testEnv,
  type TestDatabase,
} from '../harness.ts';
import { startServer, type RunningServer } from '../processes.ts';

// Two `qila serve` processes on one PostgreSQL database, as behind a load balancer. SQLite
// serves one process only (docs/decisions/0003-sqlite-single-instance.md).

/** The job runner polls every second (jobs.start's default; there is no setting for it). */
const POLL_MS = 1000;

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return {
    cookie: res.headers.get('set-cookie')!.split(';')[0]!,
    csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
  };
}

async function call(
  url: string,
  s: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: s.cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Polls `check` until it returns true or the deadline passes. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!PG_BASE_URL)('two instances on one PostgreSQL database', () => {
  let tdb: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let d: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const seed = await createTestPlatform({ tdb });
    try {
      await loadDemo(seed.p, { entities: 40, incidents: false });
      // A second Authority administrator: escalations go to each of them once.
      await createUserService(seed.p).create(systemContext('test'), {
        email: 'second.admin@ncsa.test',
        displayName: 'Second Admin',
        password: TEST_PASSWORD,
        roles: [{ role: 'authority_admin', scopeValue: null }],
      });
    } finally {
      await seed.close();
    }
    const env = testEnv(tdb, { QILA_DEMO: '0' });
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    d = await openDatabase(parseDatabaseUrl(tdb.url, tdb.dataDir));
  });

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await d?.close();
    await tdb?.drop();
  });

  it('a session made on one instance works, and ends, on the other', async () => {
    const s = await signIn(a.url, 'admin@ncsa.demo');
    const me = await call(b.url, s, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'admin@ncsa.demo' });
    // A write on B with the CSRF token issued by A.
    const put = await call(b.url, s, 'PUT', '/api/jurisdiction/holidays/2031-01-02', {
      nameEn: 'Shared session',
      provisional: false,
    });
    expect(put.status).toBe(200);
    expect((await call(b.url, s, 'POST', '/api/auth/sign-out')).status).toBeLessThan(300);
    expect((await call(a.url, s, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('runs each overdue deadline exactly once across both job loops', async () => {
    const ciso = await signIn(a.url, 'ciso@telecom-entity.demo');
    const report = async (url: string, i: number, awareAt: Date) => {
      const res = await call(url, ciso, 'POST', '/api/incidents', {
        title: `Core network outage ${i}`,
        summary: 'Signalling storm took down the packet core.',
        severity: 'high',
        rsitClass: 'availability',
        rsitType: 'outage',
        awareAt: awareAt.toISOString(),
        suspectedMalicious: false,
        crossBorder: false,
        tlp: 'GREEN',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const pta = (ids: string[]) =>
      d.db
        .selectFrom('incident_duties')
        .select(['id', 'incident_id', 'status', 'escalated_at'])
        .where('incident_id', 'in', ids)
        .where('authority', '=', 'PTA')
        .where('stage', '=', 'notification')
        .execute();

    // Already overdue when reported (aware 30 h ago; PTA wants the report within 24 h).
    const late = [
      await report(a.url, 0, new Date(Date.now() - 30 * 3_600_000)),
      await report(b.url, 1, new Date(Date.now() - 30 * 3_600_000)),
    ];
    await waitFor('the overdue PTA duties to be escalated', async () =>
      (await pta(late)).every((x) => x.status === 'overdue' && x.escalated_at !== null),
    );

    // Eight deadlines that pass at the same instant while both instances poll. Holding the duty
    // rows when they pass makes each instance's loop block inside the job it claimed, so both
    // instances are seen claiming work from the same set of due jobs.
    const deadline = Date.now() + 7000;
    const together: string[] = [];
    for (let i = 0; i < 8; i++)
      together.push(await report(i % 2 ? b.url : a.url, 10 + i, new Date(deadline - 24 * 3_600_000)));
    expect(Date.now(), 'reported before the deadlines pass').toBeLessThan(deadline - 1500);
    await d.db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('incident_duties')
        .select('id')
        .where('incident_id', 'in', together)
        .forUpdate()
        .execute();
      await new Promise((r) => setTimeout(r, deadline - Date.now() + 2.5 * POLL_MS));
    });
    await waitFor('both instances to escalate the eight duties', async () =>
      (await pta(together)).every((x) => x.status === 'overdue' && x.escalated_at !== null),
    );
    // Give each instance's loop at least two more turns to do something twice.
    await new Promise((r) => setTimeout(r, 2.5 * POLL_MS));

    const ids = [...late, ...together];
    const duties = (
      await d.db
        .selectFrom('incident_duties')
        .select(['id', 'incident_id', 'escalated_at'])
        .where('incident_id', 'in', ids)
        .execute()
    ).filter((x) => x.escalated_at !== null);
    expect((await pta(ids)).map((x) => x.escalated_at !== null)).toEqual(ids.map(() => true));
    const admins = (
      await d.db
        .selectFrom('role_assignments')
        .select('user_id')
        .where('role', '=', 'authority_admin')
        .execute()
    ).map((r) => r.user_id);
    expect(admins).toHaveLength(2);
    const notes = await d.db
      .selectFrom('notifications')
      .select(['user_id', 'link'])
      .where('kind', '=', 'incident.escalation')
      .execute();
    const events = await d.db
      .selectFrom('incident_events')
      .select(['incident_id', 'text'])
      .where('incident_id', 'in', ids)
      .where('kind', '=', 'overdue')
      .execute();
    const jobs = (
      await d.db
        .selectFrom('jobs')
        .select(['payload', 'status', 'attempts', 'locked_by'])
        .where('kind', '=', 'incident.deadline')
        .execute()
    ).map((j) => ({ ...j, dutyId: (JSON.parse(j.payload) as { dutyId: string }).dutyId }));
    for (const id of ids) {
      const escalated = duties.filter((x) => x.incident_id === id).length;
      expect(events.filter((e) => e.incident_id === id)).toHaveLength(escalated);
      for (const admin of admins)
        expect(notes.filter((n) => n.user_id === admin && n.link === `/incidents/${id}`)).toHaveLength(
          escalated,
        );
    }
    for (const duty of duties)
      expect(
        jobs.filter((j) => j.dutyId === duty.id).map((j) => ({ status: j.status, attempts: j.attempts })),
      ).toEqual([{ status: 'done', attempts: 1 }]);
    // Both processes ran some of the jobs that came due together (worker id = host:pid:suffix).
    const dutyIds = new Set((await pta(together)).map((x) => x.id));
    const workers = new Set(
      jobs.filter((j) => dutyIds.has(j.dutyId)).map((j) => Number(j.locked_by!.split(':')[1])),
    );
    expect([...workers].sort()).toEqual([a.child.pid, b.child.pid].sort());
  }, 60_000);

  it('detects concurrent edits of one record made through different instances', async () => {
    const admin = await signIn(b.url, 'admin@ncsa.demo');
    const incident = await d.db
      .selectFrom('incidents')
      .select(['id'])
      .orderBy('reported_at', 'desc')
      .executeTakeFirstOrThrow();
    const entity = await d.db
      .selectFrom('entities')
      .select('id')
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const severities = ['critical', 'high', 'medium', 'low'];
    for (let round = 0; round < 5; round++) {
      // Incident triage: the same version to A and to B at the same moment.
      const cur = await call(a.url, admin, 'GET', `/api/incidents/${incident.id}`);
      const version = cur.body.version as number;
      const others = severities.filter((s) => s !== cur.body.severity);
      const [ra, rb] = await Promise.all([
        call(a.url, admin, 'PATCH', `/api/incidents/${incident.id}`, { version, severity: others[0] }),
        call(b.url, admin, 'PATCH', `/api/incidents/${incident.id}`, { version, severity: others[1] }),
      ]);
      expect([ra.status, rb.status].sort(), JSON.stringify([ra.body, rb.body])).toEqual([200, 409]);
      expect([ra, rb].find((r) => r.status === 409)!.body.code).toBe('stale_version');
      const after = await call(b.url, admin, 'GET', `/api/incidents/${incident.id}`);
      expect(after.body.version).toBe(version + 1);
      expect(after.body.severity).toBe([ra, rb].find((r) => r.status === 200)!.body.severity);

      // The registry entity: the same, with its own conflict code.
      const e = await call(a.url, admin, 'GET', `/api/entities/${entity.id}`);
      const ev = e.body.version as number;
      const [ea, eb] = await Promise.all([
        call(a.url, admin, 'PATCH', `/api/entities/${entity.id}`, {
          version: ev,
          website: `https://a${round}.example.pk`,
        }),
        call(b.url, admin, 'PATCH', `/api/entities/${entity.id}`, {
          version: ev,
          website: `https://b${round}.example.pk`,
        }),
      ]);
      expect([ea.status, eb.status].sort(), JSON.stringify([ea.body, eb.body])).toEqual([200, 409]);
      expect([ea, eb].find((r) => r.status === 409)!.body.code).toBe('version_conflict');
    }
    // One audit record per change that won.
    const audits = await d.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('object_id', 'in', [incident.id, entity.id])
      .where('action', 'in', ['incident.update', 'entity.update'])
      .execute();
    expect(audits.filter((x) => x.action === 'incident.update')).toHaveLength(5);
    expect(audits.filter((x) => x.action === 'entity.update')).toHaveLength(5);
  });
});
