import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { refuseDuplicate } from '../../src/platform/duplicates.ts';
import { registerErrorHandling } from '../../src/platform/http/problem.ts';
import { createTestApp, type Agent, type TestApp } from '../harness.ts';

// Requests sent at the same moment through the real app: on PostgreSQL each runs on its own
// connection, so check-then-insert and read-then-write races are real; on SQLite they interleave
// at every await. Whatever the order, an answer is a success or a 409, never a 500, and nothing
// acknowledged is lost.

const ROUNDS = 4;
const BASELINE = 'pk-ncsa-baseline@2026.1';

interface Requirement {
  frameworkId: string;
  itemId: string;
  answer: { version: number; level: number | null } | null;
}

describe('concurrent writes', () => {
  let t: TestApp;
  let admin: Agent;
  let ciso: Agent;
  let colleagues: Agent[];
  let entityId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock('2026-02-02T06:00:00.000Z') });
    await loadDemo(t.p, { entities: 40, incidents: false });
    const entity = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('sector', '=', 'telecom')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    entityId = entity.id;
    admin = await t.signInAs({
      email: 'admin@ncsa.example',
      displayName: 'Admin',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    ciso = await t.signInAs({
      email: 'ciso@telecom.example',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entityId }],
    });
    colleagues = [ciso];
    for (let i = 1; i < 4; i++)
      colleagues.push(
        await t.signInAs({
          email: `member${i}@telecom.example`,
          displayName: `Member ${i}`,
          roles: [{ role: 'entity_member', scopeKind: 'entity', scopeValue: entityId }],
        }),
      );
  });
  afterAll(async () => t?.close());

  const send = (who: Agent, method: 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers(true), ...(payload ? { payload } : {}) });
  const statuses = (rs: { statusCode: number }[]) => rs.map((r) => r.statusCode).sort();

  it('keeps the facts of two stage reports sent at once, one after the other', async () => {
    const first = await send(ciso, 'POST', '/api/incidents', {
      title: 'Billing server intrusion',
      summary: 'Unauthorised access to a billing server.',
      severity: 'medium',
      rsitClass: 'intrusions',
      rsitType: 'system-compromise',
      awareAt: '2026-02-02T04:00:00.000Z',
      suspectedMalicious: true,
      crossBorder: false,
      affectedServices: ['Billing'],
      usersAffected: 1200,
      downtimeHours: 2,
      mitigation: 'Server isolated.',
      tlp: 'AMBER',
    });
    expect(first.statusCode, first.body).toBe(201);
    const id = first.json<{ id: string }>().id;
    const version = async () =>
      (await t.p.db.selectFrom('incidents').select('version').where('id', '=', id).executeTakeFirstOrThrow())
        .version;
    const before = await version();
    const facts = [
      { rootCause: 'An administrator account was phished.' },
      { lessonsLearned: 'Phishing-resistant sign-in for administrators.' },
      { financialLoss: 125000 },
      { usersAffected: 4200, downtimeHours: 7 },
    ];
    const res = await Promise.all(
      facts.map((update) =>
        send(ciso, 'POST', `/api/incidents/${id}/reports`, { stage: 'intermediate', update }),
      ),
    );
    for (const r of res) expect(r.statusCode, r.body).toBe(201);
    const detail = (await t.app.inject({ url: `/api/incidents/${id}`, headers: admin.headers() })).json<{
      details: Record<string, unknown>;
    }>();
    expect(detail.details).toMatchObject(Object.assign({}, ...facts) as object);
    expect(await version()).toBe(before + facts.length);
  });

  it('answers one of several first answers to the same requirement, the others 409', async () => {
    const campaign = await send(admin, 'POST', '/api/campaigns', {
      name: 'Concurrency campaign',
      frameworks: [BASELINE],
      selection: { sectors: ['telecom'] },
      opensOn: '2026-01-05',
      dueOn: '2026-02-27',
      graceDays: 0,
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    const list = (
      await t.app.inject({
        url: `/api/assessments?campaignId=${campaign.json<{ id: string }>().id}`,
        headers: ciso.headers(),
      })
    ).json<{ items: { id: string }[] }>();
    assessmentId = list.items[0]!.id;
    const reqs = await requirements();
    const target = reqs[0]!;
    const res = await Promise.all(colleagues.map((c, i) => answer(c, target, { level: i + 1 })));
    expect(statuses(res)).toEqual([200, 409, 409, 409]);
    for (const r of res.filter((x) => x.statusCode === 409))
      expect(r.json<{ code: string }>().code).toBe('answer_conflict');
    const rows = await t.p.db
      .selectFrom('answers')
      .select('level')
      .where('assignment_id', '=', assessmentId)
      .where('item_id', '=', target.itemId)
      .execute();
    expect(rows).toHaveLength(1);
    const winner = res.findIndex((r) => r.statusCode === 200);
    expect(rows[0]!.level).toBe(winner + 1);
  });

  let assessmentId: string;
  const requirements = async () =>
    (await t.app.inject({ url: `/api/assessments/${assessmentId}`, headers: ciso.headers() })).json<{
      requirements: Requirement[];
    }>().requirements;
  const answer = (who: Agent, r: Requirement, body: Record<string, unknown>) =>
    send(who, 'PUT', `/api/assessments/${assessmentId}/answers/${r.frameworkId}/${r.itemId}`, body);

  it('stores in each submission exactly the answers that were live when it was taken', async () => {
    for (const r of await requirements())
      if (!r.answer) expect((await answer(ciso, r, { level: 2 })).statusCode).toBe(200);
    for (let round = 1; round <= ROUNDS; round++) {
      const reqs = (await requirements()).slice(0, 6);
      // Several saves race one submit; each lands before the snapshot or is refused after it.
      const [submitted, ...saves] = await Promise.all([
        send(ciso, 'POST', `/api/assessments/${assessmentId}/submit`),
        ...reqs.map((r, i) =>
          answer(colleagues[i % colleagues.length]!, r, {
            level: ((round + i) % 5) + 1,
            version: r.answer!.version,
          }),
        ),
      ]);
      expect(submitted.statusCode, submitted.body).toBe(200);
      for (const s of saves) {
        expect([200, 409], s.body).toContain(s.statusCode);
        if (s.statusCode === 409) expect(s.json<{ code: string }>().code).toBe('assessment_locked');
      }
      const stored = await t.p.db
        .selectFrom('submissions')
        .select('answers_json')
        .where('assignment_id', '=', assessmentId)
        .where('number', '=', round)
        .executeTakeFirstOrThrow();
      const snapshot = (
        JSON.parse(stored.answers_json) as { key: string; level: number | null; version: number }[]
      )
        .map((a) => [a.key, a.level, a.version])
        .sort();
      const live = (
        await t.p.db
          .selectFrom('answers')
          .select(['framework_id', 'item_id', 'level', 'version'])
          .where('assignment_id', '=', assessmentId)
          .execute()
      )
        .map((a) => [`${a.framework_id}|${a.item_id}`, a.level, a.version])
        .sort();
      expect(snapshot).toEqual(live);
      const back = await send(admin, 'POST', `/api/assessments/${assessmentId}/review`, {
        decision: 'return',
        comment: `Round ${round}: look again.`,
      });
      expect(back.statusCode, back.body).toBe(200);
    }
  });

  it('replaces contacts whole when two saves of them cross', async () => {
    const sets = [1, 2, 3, 4].map((n) => [
      { kind: 'ciso', name: `CISO ${n}`, email: `ciso${n}@telecom.example` },
      { kind: 'incident_24x7', name: `Desk ${n}`, phone: `+92 51 000000${n}` },
    ]);
    const res = await Promise.all(
      sets.map((contacts) => send(admin, 'PUT', `/api/entities/${entityId}/contacts`, { contacts })),
    );
    expect(statuses(res)).toEqual([204, 204, 204, 204]);
    const names = (
      await t.p.db
        .selectFrom('entity_contacts')
        .select('name')
        .where('entity_id', '=', entityId)
        .orderBy('kind')
        .execute()
    ).map((c) => c.name);
    // One save's contacts, not a mixture of two.
    expect(sets.map((s) => s.map((c) => c.name))).toContainEqual(names);
  });

  it('declares an asset once when it is declared twice at the same moment', async () => {
    const res = await Promise.all(
      [1, 2, 3, 4].map(() =>
        send(admin, 'POST', `/api/entities/${entityId}/assets`, {
          kind: 'domain',
          value: 'pay.telecom.example',
        }),
      ),
    );
    expect(statuses(res)).toEqual([201, 409, 409, 409]);
    for (const r of res.filter((x) => x.statusCode === 409))
      expect(r.json<{ code: string; detail: string }>()).toMatchObject({
        code: 'asset_exists',
        detail: expect.stringContaining('pay.telecom.example') as unknown,
      });
    const rows = await t.p.db
      .selectFrom('entity_assets')
      .select('id')
      .where('entity_id', '=', entityId)
      .where('value', '=', 'pay.telecom.example')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps one holiday row, and an audit record per edit, when a date is edited at once', async () => {
    const date = '2026-03-31';
    const res = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        send(admin, 'PUT', `/api/jurisdiction/holidays/${date}`, { nameEn: `Eid al-Fitr (sighting ${n})` }),
      ),
    );
    expect(statuses(res)).toEqual([200, 200, 200, 200]);
    const rows = await t.p.db.selectFrom('holidays').select('name_en').where('date', '=', date).execute();
    expect(rows).toHaveLength(1);
    const audits = await t.p.db
      .selectFrom('audit_log')
      .select(['before_json'])
      .where('action', '=', 'holiday.upsert')
      .where('object_id', 'like', `%:${date}`)
      .execute();
    expect(audits).toHaveLength(4);
    // Exactly one edit created the row; each of the others names the one it replaced.
    expect(audits.filter((a) => a.before_json === null || a.before_json === 'null')).toHaveLength(1);
  });
  it('creates one account when four invitations to one email are accepted at once', async () => {
    const email = 'twice@telecom.example';
    for (let i = 0; i < 4; i++) {
      const inv = await send(admin, 'POST', '/api/invitations', {
        email,
        roles: [{ role: 'entity_member', scopeValue: entityId }],
      });
      expect(inv.statusCode, inv.body).toBe(201);
    }
    const tokens = (
      await t.p.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute()
    )
      .map((j) => JSON.parse(j.payload) as { to: string; text: string })
      .filter((m) => m.to === email)
      .map((m) => /accept-invitation\?token=([\w-]+)/.exec(m.text)![1]!);
    expect(tokens).toHaveLength(4);
    const res = await Promise.all(
      tokens.map((token) =>
        t.app.inject({
          method: 'POST',
          url: '/api/invitations/accept',
          payload: { token, displayName: 'Twice', password: 'tea in the margalla hills' },
        }),
      ),
    );
    expect(statuses(res)).toEqual([200, 409, 409, 409]);
    for (const r of res.filter((x) => x.statusCode === 409))
      expect(r.json<{ code: string }>().code).toBe('email_taken');
    expect(await t.p.db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(
      1,
    );
  });
});

describe('a unique violation no service names', () => {
  it('answers 409 conflict on either dialect, and a named one says what collided', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    const violation = (code: string, extra: object = {}) =>
      Object.assign(new Error('duplicate key'), { code, ...extra });
    app.get('/pg', async () => Promise.reject(violation('23505', { table: 'audit_plan_items' })));
    app.get('/sqlite', async () =>
      Promise.reject(
        Object.assign(
          new Error('UNIQUE constraint failed: audit_plan_items.plan_id, audit_plan_items.entity_id'),
          {
            code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
          },
        ),
      ),
    );
    app.get('/named', async () =>
      refuseDuplicate(
        () => Promise.reject(violation('SQLITE_CONSTRAINT_PRIMARYKEY')),
        'That key is taken.',
        'key_taken',
      ),
    );
    app.get('/other', async () => Promise.reject(violation('23503')));
    for (const url of ['/pg', '/sqlite']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        code: 'conflict',
        detail:
          'Someone saved the same record in audit plan items at the same moment; reload it and try again.',
      });
    }
    expect((await app.inject({ url: '/named' })).json()).toMatchObject({
      status: 409,
      code: 'key_taken',
      detail: 'That key is taken.',
    });
    // Other database errors stay 500: only "that key is taken" is the caller's to retry.
    expect((await app.inject({ url: '/other' })).statusCode).toBe(500);
    await app.close();
  });
});
