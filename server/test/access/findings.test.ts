// Regression tests for the access findings of round 2 (issue 12, findings 1-3): each failed on the
// code before the access layer, on both dialects.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadDemo } from '../../src/demo/demo.ts';
import { createTestApp, type Agent, type TestApp } from '../harness.ts';

const START = '2026-03-16T06:00:00.000Z';
const report = (over: Record<string, unknown> = {}) => ({
  title: 'Billing portal defaced',
  summary: 'The public billing portal showed a defacement page for an hour.',
  severity: 'medium',
  rsitClass: 'intrusions',
  rsitType: 'system-compromise',
  awareAt: '2026-03-16T04:00:00.000Z',
  detectedAt: '2026-03-16T03:30:00.000Z',
  suspectedMalicious: true,
  crossBorder: false,
  tlp: 'GREEN',
  affectedServices: ['Billing portal'],
  usersAffected: 1000,
  downtimeHours: 1,
  mitigation: 'Portal restored from a clean image.',
  ...over,
});

describe('access findings', () => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let punjabTelecom: { id: string; name_en: string; registration_no: string };
  let ciso: Agent, cert: Agent, officer: Agent, observer: Agent, analyst: Agent, admin: Agent, named: Agent;
  let namedId: string;
  let otherEntity: string;

  const post = (who: Agent, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers: who.headers(true) });
  const get = (who: Agent, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers() });
  const as = (email: string, role: string, scopeKind: string, scopeValue: string | null) =>
    t.signInAs({
      email,
      displayName: email.split('@')[0]!,
      roles: [{ role, scopeKind, scopeValue } as never],
    });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await loadDemo(t.p, { entities: 60, incidents: false });
    punjabTelecom = await t.p.db
      .selectFrom('entities')
      .select(['id', 'name_en', 'registration_no'])
      .where('sector', '=', 'telecom')
      .where('admin_unit', '=', 'PK-PB')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    otherEntity = (
      await t.p.db
        .selectFrom('entities')
        .select('id')
        .where('sector', '=', 'health')
        .executeTakeFirstOrThrow()
    ).id;
    ciso = await as('ciso@pb-telecom.pk', 'entity_admin', 'entity', punjabTelecom.id);
    cert = await as('cert@pkcert.pk', 'cert_analyst', 'national', null);
    named = await as('named@pkcert.pk', 'cert_analyst', 'national', null);
    officer = await as('officer@punjab.pk', 'provincial_officer', 'admin_unit', 'PK-PB');
    observer = await as('observer@ncsa.pk', 'observer', 'national', null);
    analyst = await as('analyst@ncsa.pk', 'authority_analyst', 'national', null);
    admin = await as('admin@ncsa.pk', 'authority_admin', 'national', null);
    namedId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'named@pkcert.pk')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  it('1: an observer counts by the cube dimensions only, never by a name or number', async () => {
    for (const q of [
      `q=${encodeURIComponent(punjabTelecom.name_en.slice(0, 4))}`,
      `q=${encodeURIComponent(punjabTelecom.registration_no)}`,
      'subsector=mobile',
      'regulator=PTA',
      'designation=cii',
    ]) {
      const res = await get(observer, `/api/registry/overview?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe(
        `querystring.${q.split('=')[0]}`,
      );
    }
    // The cube's own dimensions still answer, from the cube.
    const bySector = await get(observer, '/api/registry/overview?sector=telecom&adminUnit=PK-PB');
    expect(bySector.statusCode).toBe(200);
    // Shown when large enough, otherwise withheld as too small (never a small number).
    const answer = bySector.json<{ total: number | null; totalReason: string | null }>();
    if (answer.total === null) expect(answer.totalReason).toBe('below_cohort');
    else expect(answer.total).toBeGreaterThanOrEqual(5);
    // An analyst who may read the entities anyway can still search them.
    const search = await get(
      analyst,
      `/api/registry/overview?q=${encodeURIComponent(punjabTelecom.registration_no)}`,
    );
    expect(search.statusCode).toBe(200);
    expect(search.json<{ total: number }>().total).toBe(1);
  });

  it('2: notices follow the report when its TLP narrows past the reader', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/incidents',
      payload: report(),
      headers: ciso.headers(true),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const notices = async () =>
      (await get(officer, '/api/notifications')).json<{
        unread: number;
        items: { title: string; body: string }[];
      }>();
    expect((await notices()).items.some((n) => n.body.includes('Billing portal defaced'))).toBe(true);

    const raised = await post(ciso, `/api/incidents/${id}/reports`, {
      stage: 'notification',
      update: {
        tlp: 'AMBER+STRICT',
        title: 'Secret: core router credentials stolen',
        affectedServices: ['Billing'],
        usersAffected: 1000,
        downtimeHours: 1,
        mitigation: 'Credentials rotated.',
      },
    });
    expect(raised.statusCode, raised.body).toBe(201);
    expect((await get(officer, `/api/incidents/${id}`)).statusCode).toBe(404);
    // Routing follows the new TLP: the provincial CERT is no longer a recipient.
    const routed = (await get(cert, `/api/incidents/${id}`)).json<{ recipients: { kind: string }[] }>();
    expect(routed.recipients.map((r) => r.kind)).not.toContain('provincial_cert');
    expect(routed.recipients.map((r) => r.kind)).toContain('regulator');

    const rfi = await post(cert, `/api/incidents/${id}/rfis`, { question: 'Which routers were affected?' });
    expect(rfi.statusCode, rfi.body).toBe(201);
    const reply = await post(ciso, `/api/incidents/${id}/rfis/${rfi.json<{ id: string }>().id}/reply`, {
      answer: 'The two core routers in Lahore, serials LHR-01 and LHR-02.',
    });
    expect(reply.statusCode, reply.body).toBe(200);

    const seen = JSON.stringify(await notices());
    expect(seen).not.toContain('Secret: core router');
    expect(seen).not.toContain('LHR-01');
    expect(seen).not.toContain('Billing portal defaced');
    // The national CERT, who may read it, still gets the news in full.
    expect(JSON.stringify((await get(cert, '/api/notifications')).json())).toContain('LHR-01');
  });

  it('3: a named TLP:RED recipient loses the report when their role no longer reaches it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/incidents',
      payload: report({ tlp: 'RED', title: 'Insider exfiltration', redRecipients: [namedId] }),
      headers: ciso.headers(true),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await get(named, `/api/incidents/${id}`)).json<{ restricted: boolean }>().restricted).toBe(false);
    expect((await get(named, `/api/incidents/${id}/stix`)).statusCode).toBe(200);

    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${namedId}/roles`,
      payload: { roles: [{ role: 'entity_member', scopeValue: otherEntity }] },
      headers: admin.headers(true),
    });
    expect(moved.statusCode, moved.body).toBeLessThan(300);
    expect((await get(named, `/api/incidents/${id}`)).statusCode).toBe(404);
    expect((await get(named, `/api/incidents/${id}/stix`)).statusCode).toBe(404);
    const list = (await get(named, '/api/incidents?view=recent')).json<{ items: { id: string }[] }>();
    expect(list.items.some((i) => i.id === id)).toBe(false);
    expect(JSON.stringify((await get(named, '/api/notifications')).json())).not.toContain(id);
  });

  it("a TLP change re-routes on the report's own connection, even when the calendar is not cached", async () => {
    const created = await post(ciso, '/api/incidents', report({ title: 'Mail relay abused' }));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    // A cold calendar cache reads the holidays; asked without an executor it reads them from the pool,
    // which inside a transaction waits on SQLite for the connection the transaction holds.
    const calendar = t.p.calendar;
    const warm = calendar.businessCalendar.bind(calendar);
    const cold = vi.spyOn(calendar, 'businessCalendar').mockImplementation(async (ex) => {
      await (ex ?? t.p.db).selectFrom('holidays').select('id').limit(1).execute();
      return warm(ex);
    });
    try {
      const raised = await Promise.race([
        post(ciso, `/api/incidents/${id}/reports`, {
          stage: 'notification',
          update: { tlp: 'AMBER+STRICT', mitigation: 'Relay closed.' },
        }),
        new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5000)),
      ]);
      expect(raised === 'stuck' ? 'stuck' : raised.statusCode).toBe(201);
    } finally {
      cold.mockRestore();
    }
  });
});

describe('notices about supervision and assessment records follow the reader’s reach', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('a notice disappears when its reader can no longer find what it is about', async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 30, incidents: false });
    const a = await t.p.db
      .selectFrom('assignments')
      .select(['id', 'entity_id'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const other = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('id', '!=', a.entity_id)
      .executeTakeFirstOrThrow();
    const member = await t.signInAs({
      email: 'member@entity.pk',
      displayName: 'Member',
      roles: [{ role: 'entity_member', scopeKind: 'entity', scopeValue: a.entity_id }],
    });
    const admin = await t.signInAs({
      email: 'admin@ncsa.pk',
      displayName: 'Admin',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const memberId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'member@entity.pk')
        .executeTakeFirstOrThrow()
    ).id;
    await t.p.notifications.notify(t.p.db, [memberId], {
      kind: 'assessment.returned',
      title: 'Your assessment was returned: fix the access-control answers',
      body: 'See the reviewer’s comments.',
      link: `/assessments/${a.id}`,
      subject: { type: 'assessment', id: a.id },
    });
    // A notice about an audit the reader cannot find (none exists) is never shown.
    await t.p.notifications.notify(t.p.db, [memberId], {
      kind: 'supervision.final',
      title: 'Final audit report AUD-0000',
      body: 'x',
      subject: { type: 'audit', id: 'no-such-audit' },
    });
    const seen = async () =>
      (await t.app.inject({ url: '/api/notifications', headers: member.headers() })).json<{
        unread: number;
        items: { title: string }[];
      }>();
    expect((await seen()).items.map((i) => i.title)).toEqual([
      'Your assessment was returned: fix the access-control answers',
    ]);
    expect((await seen()).unread).toBe(1);
    // Moved to another entity: the notice about the first entity's assessment goes with the role.
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${memberId}/roles`,
      payload: { roles: [{ role: 'entity_member', scopeValue: other.id }] },
      headers: admin.headers(true),
    });
    expect(moved.statusCode, moved.body).toBeLessThan(300);
    expect(await seen()).toMatchObject({ unread: 0, items: [] });
  });
});
