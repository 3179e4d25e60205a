import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { expectAudited } from '../../../test/audited.ts';
import { loadDemo } from '../../demo/demo.ts';

interface Duty {
  regime: string;
  regimeVersion: string;
  stage: string;
  status: string;
  dueAt: string | null;
  waitingOn: string | null;
  metAt: string | null;
}
interface Detail {
  id: string;
  reference: string;
  title: string;
  version: number;
  status: string;
  restricted: boolean;
  late: boolean;
  details: Record<string, unknown> | null;
  duties: Duty[];
  timeline: { kind: string; text: string; internal: boolean }[];
  tasks: { id: string; status: string; version: number }[];
  rfis: { id: string; answer: string | null }[];
  observables: { type: string; value: string; otherIncidents: number | null }[];
  related: { reference: string; shared: number }[];
  recipients: { kind: string; code: string }[];
  allowedActions: string[];
}

// Monday 16 March 2026, 11:00 in Karachi.
const START = '2026-03-16T06:00:00.000Z';
const HOUR = 3_600_000;

const base = (over: Record<string, unknown> = {}) => ({
  title: 'Core network intrusion',
  summary: 'Unauthorised access to a billing server was detected by the SOC.',
  severity: 'high',
  rsitClass: 'intrusions',
  rsitType: 'system-compromise',
  awareAt: '2026-03-16T04:00:00.000Z',
  detectedAt: '2026-03-16T03:30:00.000Z',
  suspectedMalicious: true,
  crossBorder: false,
  tlp: 'AMBER',
  ...over,
});
const notificationFacts = {
  affectedServices: ['Billing'],
  usersAffected: 12000,
  downtimeHours: 3,
  mitigation: 'Server isolated, credentials rotated.',
};
const duty = (d: Detail, regime: string, stage: string) =>
  d.duties.find((x) => x.regime === regime && x.stage === stage)!;

function multipart(fileName: string, content: Buffer) {
  const boundary = '----qilaIncident';
  return {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe('incident reporting and response', () => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let telecomA: { id: string; name_en: string; admin_unit: string };
  let telecomB: string;
  let energy: string;
  let ciso: Agent, otherCiso: Agent, energyCiso: Agent, cert: Agent, cert2: Agent, admin: Agent;
  let regulator: Agent, energyRegulator: Agent, province: Agent, otherProvince: Agent, observer: Agent;
  let certId: string;
  let incidentId: string;

  /** Moves time by hours; sessions would idle out, so they are kept alive as a user's activity would. */
  async function moveClock(to: Date) {
    clock.set(to);
    await t.p.db
      .updateTable('sessions')
      .set({ last_seen_at: to.toISOString(), expires_at: new Date(to.getTime() + 8 * HOUR).toISOString() })
      .execute();
  }

  const get = async (who: Agent, id: string) =>
    t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: who.headers() });
  const detail = async (who: Agent, id: string) => (await get(who, id)).json<Detail>();
  const post = (who: Agent, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { ...who.headers(true), ...headers },
    });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await loadDemo(t.p, { entities: 60, incidents: false });
    const telecom = await t.p.db
      .selectFrom('entities')
      .select(['id', 'name_en', 'admin_unit'])
      .where('sector', '=', 'telecom')
      .orderBy('id')
      .limit(2)
      .execute();
    telecomA = telecom[0]!;
    telecomB = telecom[1]!.id;
    energy = (
      await t.p.db
        .selectFrom('entities')
        .select('id')
        .where('sector', '=', 'energy')
        .executeTakeFirstOrThrow()
    ).id;
    const otherUnit = (
      await t.p.db
        .selectFrom('entities')
        .select('admin_unit')
        .where('admin_unit', '!=', telecomA.admin_unit)
        .executeTakeFirstOrThrow()
    ).admin_unit;
    const as = (email: string, role: string, scopeKind: string, scopeValue: string | null) =>
      t.signInAs({
        email,
        displayName: email.split('@')[0]!,
        roles: [{ role, scopeKind, scopeValue } as never],
      });
    ciso = await as('ciso@a.pk', 'entity_admin', 'entity', telecomA.id);
    otherCiso = await as('ciso@b.pk', 'entity_admin', 'entity', telecomB);
    energyCiso = await as('ciso@energy.pk', 'entity_admin', 'entity', energy);
    cert = await as('analyst@pkcert.pk', 'cert_analyst', 'national', null);
    cert2 = await as('second@pkcert.pk', 'cert_analyst', 'national', null);
    admin = await as('admin@ncsa.pk', 'authority_admin', 'national', null);
    regulator = await as('reg@pta.pk', 'sector_regulator', 'sector', 'telecom');
    energyRegulator = await as('reg@nepra.pk', 'sector_regulator', 'sector', 'energy');
    province = await as('officer@unit.pk', 'provincial_officer', 'admin_unit', telecomA.admin_unit);
    otherProvince = await as('officer@other.pk', 'provincial_officer', 'admin_unit', otherUnit);
    observer = await as('observer@ncsa.pk', 'observer', 'national', null);
    certId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'analyst@pkcert.pk')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  it('records a report once per idempotency key and tells the entity what is due when', async () => {
    const first = await post(ciso, '/api/incidents', base(), { 'idempotency-key': 'siem-0001-abcdef' });
    expect(first.statusCode).toBe(201);
    incidentId = first.json<{ id: string }>().id;
    expect(first.json<{ reference: string }>().reference).toMatch(/^INC-2026-\d{6}$/);
    const again = await post(ciso, '/api/incidents', base(), { 'idempotency-key': 'siem-0001-abcdef' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<{ id: string }>().id).toBe(incidentId);
    const reused = await post(ciso, '/api/incidents', base({ title: 'Something else' }), {
      'idempotency-key': 'siem-0001-abcdef',
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json<{ code: string }>().code).toBe('idempotency_key_reused');
    expect(await t.p.db.selectFrom('incidents').select('id').execute()).toHaveLength(1);

    const d = await detail(ciso, incidentId);
    // A high incident: the Act's early warning is met by this first report; the rest run.
    expect(duty(d, 'pk-ncsa-act', 'early_warning')).toMatchObject({
      status: 'met',
      regimeVersion: '2026.1',
      metAt: START,
    });
    expect(duty(d, 'pk-ncsa-act', 'notification')).toMatchObject({
      status: 'due',
      dueAt: '2026-03-19T04:00:00.000Z',
    });
    expect(duty(d, 'pk-ncsa-act', 'final')).toMatchObject({
      status: 'waiting',
      waitingOn: 'notification',
      dueAt: null,
    });
    // Telecom licensees also owe PTA a report within 24 hours of awareness.
    expect(duty(d, 'pta-telecom', 'notification')).toMatchObject({
      status: 'due',
      dueAt: '2026-03-17T04:00:00.000Z',
    });
    expect(d.recipients.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['national_cert', 'regulator', 'sectoral_cert']),
    );
    expect(d.recipients.find((r) => r.kind === 'regulator')?.code).toBe('PTA');
    expect(d.allowedActions).toContain('report');
  });

  it('refuses bad input with a 4xx that names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [base({ awareAt: new Date(Date.parse(START) + 2 * HOUR).toISOString() }), 'awareAt'],
      [base({ rsitType: 'ddos' }), 'rsitType'],
      [base({ rsitClass: 'space-weather' }), 'rsitClass'],
      [base({ title: '<script>alert(1)</script>' }), 'title'],
      [base({ summary: 'see <img src=x onerror=alert(1)>' }), 'summary'],
      [base({ title: 'x'.repeat(201) }), 'title'],
      [base({ severity: 'apocalyptic' }), 'severity'],
      [base({ tlp: 'RED' }), 'redRecipients'],
      [base({ tlp: 'RED', redRecipients: ['01900000-0000-7000-8000-000000000000'] }), 'redRecipients.0'],
      [base({ indicators: [{ type: 'ipv4', value: '999.1.1.1' }] }), 'indicators.0.value'],
      [base({ crossBorderCountries: ['Pakistan'] }), 'crossBorderCountries'],
      [{ ...base(), suspectedMalicious: undefined }, 'suspectedMalicious'],
    ];
    for (const [payload, field] of cases) {
      const res = await post(ciso, '/api/incidents', payload);
      expect(res.statusCode, `${field}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toContain(field);
    }
    expect(await t.p.db.selectFrom('incidents').select('id').execute()).toHaveLength(1);
  });

  it('checks what each stage must contain, and a report can meet several regimes at once', async () => {
    const bare = await post(ciso, `/api/incidents/${incidentId}/reports`, {
      stage: 'notification',
      update: { usersAffected: 12000 },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ fields: string[] }>().fields).toEqual(
      expect.arrayContaining(['affectedServices', 'downtimeHours', 'mitigation']),
    );
    await moveClock(new Date(clock.now().getTime() + 2 * HOUR));
    const ok = await post(ciso, `/api/incidents/${incidentId}/reports`, {
      stage: 'notification',
      update: notificationFacts,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = ok.json<Detail>();
    expect(duty(d, 'pk-ncsa-act', 'notification').status).toBe('met');
    expect(duty(d, 'pta-telecom', 'notification').status).toBe('met');
    // 30 calendar days after the notification (16 March 13:00 Karachi) is 15 April 13:00 Karachi.
    expect(duty(d, 'pk-ncsa-act', 'final')).toMatchObject({
      status: 'due',
      dueAt: '2026-04-15T08:00:00.000Z',
    });
    // PTA's detailed report: 5 working days after the report (no holidays in March 2026 here).
    expect(duty(d, 'pta-telecom', 'final').dueAt).not.toBeNull();
    expect(d.details).toMatchObject({
      usersAffected: 12000,
      mitigation: 'Server isolated, credentials rotated.',
    });
  });

  it('shows each caller only what their scope and the TLP allow', async () => {
    expect((await get(otherCiso, incidentId)).statusCode).toBe(404);
    expect((await get(energyRegulator, incidentId)).statusCode).toBe(404);
    expect((await get(otherProvince, incidentId)).statusCode).toBe(404);
    expect((await get(observer, incidentId)).statusCode).toBe(403);
    expect((await detail(regulator, incidentId)).details).not.toBeNull();
    expect((await detail(province, incidentId)).details).not.toBeNull();
    const list = await t.app.inject({ method: 'GET', url: '/api/incidents', headers: otherCiso.headers() });
    expect(list.json<{ total: number }>().total).toBe(0);

    const red = await post(
      ciso,
      '/api/incidents',
      base({ title: 'Insider leak', tlp: 'RED', redRecipients: [certId] }),
    );
    expect(red.statusCode).toBe(201);
    const redId = red.json<{ id: string }>().id;
    expect((await detail(cert, redId)).details?.summary).toBe(base().summary);
    expect((await detail(ciso, redId)).restricted).toBe(false);
    for (const who of [cert2, regulator, admin]) {
      const d = await detail(who, redId);
      expect(d).toMatchObject({
        restricted: true,
        details: null,
        title: 'Restricted report (TLP:RED)',
        timeline: [],
      });
      expect(d.duties.length).toBeGreaterThan(0);
    }
    // Opening a RED report's content is audited; a reader shown only its header leaves no read record.
    const redReads = await t.p.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'incident.read_red')
      .where('object_id', '=', redId)
      .execute();
    expect(redReads).toHaveLength(2); // the CERT recipient and the reporting entity, above
    await expectAudited(t, await get(cert, redId), {
      action: 'incident.read_red',
      objectType: 'incident',
      objectId: redId,
    });
    expect((await get(province, redId)).statusCode).toBe(404);
    // The STIX export of a TLP:RED report is out of reach for everyone but its recipients: 404, not 400.
    const stixOf = (who: Agent) =>
      t.app.inject({ method: 'GET', url: `/api/incidents/${redId}/stix`, headers: who.headers() });
    for (const who of [cert2, regulator, admin]) {
      const res = await stixOf(who);
      expect(res.statusCode).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('not_found');
    }
    expect((await stixOf(cert)).statusCode).toBe(200);
    const triage = await t.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${redId}`,
      payload: { version: 1, status: 'triage' },
      headers: cert2.headers(true),
    });
    expect(triage.statusCode).toBe(403);
    expect((await detail(cert, redId)).recipients).toEqual([{ kind: 'user', code: certId, name: 'analyst' }]);
  });

  it('runs the CERT workflow: triage, tasks, observables with correlation, and a request for information', async () => {
    let d = await detail(cert, incidentId);
    const patch = (payload: object) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/incidents/${incidentId}`,
        payload,
        headers: cert.headers(true),
      });
    expect((await patch({ version: d.version, status: 'triage', assigneeId: certId })).statusCode).toBe(200);
    expect((await patch({ version: d.version, status: 'investigating' })).json<{ code: string }>().code).toBe(
      'stale_version',
    );
    d = await detail(cert, incidentId);
    expect(d.status).toBe('triage');
    expect((await patch({ version: d.version, status: 'new' })).statusCode).toBe(400);
    expect((await post(ciso, `/api/incidents/${incidentId}/tasks`, { title: 'x' })).statusCode).toBe(403);
    const task = await post(cert, `/api/incidents/${incidentId}/tasks`, {
      title: 'Image the billing server',
    });
    expect(task.statusCode).toBe(201);
    d = await detail(cert, incidentId);
    const done = await t.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${incidentId}/tasks/${d.tasks[0]!.id}`,
      payload: { version: d.tasks[0]!.version, status: 'done' },
      headers: cert.headers(true),
    });
    expect(done.statusCode).toBe(200);

    const second = await post(
      otherCiso,
      '/api/incidents',
      base({
        title: 'Scanning from the same host',
        severity: 'low',
        indicators: [{ type: 'ipv4', value: '203.0.113.7' }],
      }),
    );
    expect(second.statusCode).toBe(201);
    const obs = await post(cert, `/api/incidents/${incidentId}/observables`, {
      items: [
        { type: 'ipv4', value: ' 203.0.113.7 ' },
        { type: 'domain', value: 'Evil.Example.' },
        { type: 'domain', value: 'evil.example' },
        { type: 'sha256', value: 'A'.repeat(64) },
      ],
    });
    expect(obs.json()).toEqual({ added: 3 });
    d = await detail(cert, incidentId);
    expect(d.observables.find((o) => o.type === 'ipv4')).toMatchObject({
      value: '203.0.113.7',
      otherIncidents: 1,
    });
    expect(d.observables.find((o) => o.type === 'domain')).toMatchObject({
      value: 'evil.example',
      otherIncidents: 0,
    });
    expect(d.related).toEqual([expect.objectContaining({ shared: 1 })]);
    // The entity sees its indicators but not the correlation with other entities' incidents.
    expect((await detail(ciso, incidentId)).observables.every((o) => o.otherIncidents === null)).toBe(true);

    const rfi = await post(cert, `/api/incidents/${incidentId}/rfis`, {
      question: 'Which firmware version runs on the billing server?',
    });
    expect(rfi.statusCode).toBe(201);
    const rfiId = rfi.json<{ id: string }>().id;
    expect(
      (await post(cert, `/api/incidents/${incidentId}/rfis/${rfiId}/reply`, { answer: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await post(otherCiso, `/api/incidents/${incidentId}/rfis/${rfiId}/reply`, { answer: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await post(ciso, `/api/incidents/${incidentId}/rfis/${rfiId}/reply`, { answer: 'Version 4.2.1' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await post(ciso, `/api/incidents/${incidentId}/rfis/${rfiId}/reply`, { answer: 'again' })).statusCode,
    ).toBe(409);
    await post(cert, `/api/incidents/${incidentId}/notes`, {
      text: 'Looks like the same actor as last month.',
    });
    const entityView = await detail(ciso, incidentId);
    expect(entityView.rfis[0]).toMatchObject({ answer: 'Version 4.2.1' });
    expect(entityView.timeline.some((e) => e.internal)).toBe(false);
    expect(entityView.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['reported', 'report', 'rfi', 'rfi_reply']),
    );
    expect((await detail(cert, incidentId)).timeline.some((e) => e.kind === 'note' && e.internal)).toBe(true);
    const audit = await t.p.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', incidentId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'incident.report',
        'incident.submit_report',
        'incident.update',
        'incident.task.create',
        'incident.rfi.create',
        'incident.rfi.reply',
      ]),
    );
  });

  it('turns an unmet deadline overdue by a durable job, escalates it, and records the late report', async () => {
    const res = await post(
      otherCiso,
      '/api/incidents',
      base({ title: 'Outage of the SMS gateway', rsitClass: 'availability', rsitType: 'outage' }),
    );
    const id = res.json<{ id: string }>().id;
    // 25 hours after awareness the PTA report (24 h) is late.
    await moveClock(new Date(Date.parse(base().awareAt) + 25 * HOUR));
    await t.p.jobs.runDue(100);
    let d = await detail(otherCiso, id);
    expect(duty(d, 'pta-telecom', 'notification').status).toBe('overdue');
    expect(d.late).toBe(true);
    expect(d.timeline.some((e) => e.kind === 'overdue')).toBe(true);
    const adminId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin@ncsa.pk')
        .executeTakeFirstOrThrow()
    ).id;
    const escalations = async () =>
      (
        await t.p.db
          .selectFrom('notifications')
          .select('title')
          .where('user_id', '=', adminId)
          .where('kind', '=', 'incident.escalation')
          .execute()
      )
        .map((a) => a.title)
        .filter((title) => title.includes(d.reference));
    expect(await escalations()).toEqual([`Overdue: ${d.reference} (notification to PTA)`]);
    // Running the jobs again does not escalate twice.
    await t.p.jobs.runDue(100);
    expect(await escalations()).toHaveLength(1);

    const late = await post(otherCiso, `/api/incidents/${id}/reports`, {
      stage: 'notification',
      update: notificationFacts,
    });
    d = late.json<Detail>();
    expect(duty(d, 'pta-telecom', 'notification').status).toBe('met_late');
    expect(duty(d, 'pk-ncsa-act', 'notification').status).toBe('met');
    const facts = await t.app.inject({
      method: 'GET',
      url: '/api/incidents/duties?late=true',
      headers: admin.headers(),
    });
    const items = facts.json<{
      items: { reference: string; status: string; hoursLate: number; regime: string }[];
    }>().items;
    expect(items.filter((i) => i.reference === d.reference)).toEqual([
      expect.objectContaining({ regime: 'pta-telecom', status: 'met_late', hoursLate: 1 }),
    ]);
    // The TLP:RED report's missing PTA report is listed too: the Authority sees duties, not content.
    expect(items.filter((i) => i.reference !== d.reference)).toEqual([
      expect.objectContaining({ regime: 'pta-telecom', status: 'overdue' }),
    ]);
    // The list narrows by sector and by regime.
    const narrowed = async (query: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/incidents/duties?late=true&${query}`,
          headers: admin.headers(),
        })
      ).json<{ total: number; items: { regime: string; stageName: string; kind: string }[] }>();
    expect((await narrowed('sector=telecom')).total).toBe(items.length);
    expect((await narrowed('sector=finance')).total).toBe(0);
    expect((await narrowed('regime=pk-ncsa-act')).total).toBe(0);
    const pta = await narrowed('regime=pta-telecom');
    expect(pta.items.map((i) => [i.regime, i.kind])).toEqual([
      ['pta-telecom', 'notification'],
      ['pta-telecom', 'notification'],
    ]);
    expect(pta.items[0]!.stageName).toMatch(/PTA/);
    const national = await t.app.inject({
      method: 'GET',
      url: '/api/incidents/national?months=3',
      headers: admin.headers(),
    });
    const telecom = national
      .json<{ sectors: { sector: string; reportsLate: number; onTimeShare: number }[] }>()
      .sectors.find((s) => s.sector === 'telecom')!;
    expect(telecom.reportsLate).toBe(1);
    expect(telecom.onTimeShare).toBeGreaterThan(0);
    expect(telecom.onTimeShare).toBeLessThan(100);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/incidents/national', headers: observer.headers() }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/incidents/national', headers: ciso.headers() }))
        .statusCode,
    ).toBe(403);
  });

  it('closes only when the final reports are in', async () => {
    let d = await detail(cert, incidentId);
    const close = (version: number) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/incidents/${incidentId}`,
        payload: { version, status: 'closed' },
        headers: cert.headers(true),
      });
    expect((await close(d.version)).json<{ code: string }>().code).toBe('reports_outstanding');
    const missing = await post(ciso, `/api/incidents/${incidentId}/reports`, { stage: 'final', update: {} });
    expect(missing.json<{ fields: string[] }>().fields).toEqual(
      expect.arrayContaining(['rootCause', 'financialLoss', 'lessonsLearned']),
    );
    const final = await post(ciso, `/api/incidents/${incidentId}/reports`, {
      stage: 'final',
      update: {
        rootCause: 'Unpatched VPN appliance.',
        financialLoss: 2500000,
        lessonsLearned: 'Patch edge devices within 48 hours.',
      },
    });
    expect(final.statusCode).toBe(201);
    d = final.json<Detail>();
    expect(d.duties.filter((x) => x.status !== 'not_required').every((x) => x.status.startsWith('met'))).toBe(
      true,
    );
    expect((await close(d.version)).statusCode).toBe(200);
    expect(
      (await post(ciso, `/api/incidents/${incidentId}/reports`, { stage: 'final', update: {} })).statusCode,
    ).toBe(409);
  });

  it('accepts evidence by content type and refuses executables', async () => {
    const upload = (who: Agent, name: string, content: Buffer) => {
      const m = multipart(name, content);
      return t.app.inject({
        method: 'POST',
        url: `/api/incidents/${incidentId}/files`,
        payload: m.payload,
        headers: { ...who.headers(true), 'content-type': m['content-type'] },
      });
    };
    const exe = await upload(ciso, 'report.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]));
    expect(exe.statusCode).toBe(415);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    const ok = await upload(ciso, '../../etc/passwd.pdf', pdf);
    expect(ok.statusCode).toBe(201);
    expect(ok.json<{ fileName: string }>().fileName).toBe('passwd.pdf');
    expect((await upload(otherCiso, 'x.pdf', pdf)).statusCode).toBe(404);
    const fileId = ok.json<{ id: string }>().id;
    const dl = await t.app.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}/files/${fileId}`,
      headers: cert.headers(),
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    expect(dl.headers['content-disposition']).toContain('attachment');
    await expectAudited(t, dl, { action: 'file.downloaded', objectType: 'incident', objectId: incidentId });
  });

  it('shares anonymised advisories with the sector only', async () => {
    const named = await post(cert, '/api/advisories', {
      title: 'Billing server intrusions',
      body: `Seen at ${telecomA.name_en}.`,
      tlp: 'GREEN',
      sectors: ['telecom'],
      sourceIncidentId: incidentId,
    });
    expect(named.statusCode, named.body).toBe(400);
    expect(named.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('body.body');
    const ok = await post(cert, '/api/advisories', {
      title: 'Billing server intrusions',
      body: 'A telecom operator found attackers entering through an unpatched VPN appliance.',
      tlp: 'GREEN',
      sectors: ['telecom'],
      indicators: [{ type: 'ipv4', value: '203.0.113.7' }],
      sourceIncidentId: incidentId,
    });
    expect(ok.statusCode).toBe(201);
    const id = ok.json<{ id: string }>().id;
    expect(
      (
        await t.app.inject({ method: 'GET', url: `/api/advisories/${id}`, headers: otherCiso.headers() })
      ).json(),
    ).toMatchObject({ sourceIncidentId: null });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/advisories/${id}`, headers: energyCiso.headers() }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/advisories', headers: energyCiso.headers() })).json(),
    ).toEqual([]);
    expect(
      (await post(ciso, '/api/advisories', { title: 'abc', body: 'x', tlp: 'GREEN', sectors: ['telecom'] }))
        .statusCode,
    ).toBe(403);
    const stix = await t.app.inject({
      method: 'GET',
      url: `/api/advisories/${id}/stix`,
      headers: otherCiso.headers(),
    });
    expect(stix.json<{ type: string }>().type).toBe('bundle');
    await expectAudited(t, stix, { action: 'export.stix', objectType: 'advisory', objectId: id });
  });

  it('exports an incident as a STIX bundle for those who may read it', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/incidents/${incidentId}/stix`,
      headers: cert.headers(),
    });
    expect(res.statusCode).toBe(200);
    await expectAudited(t, res, { action: 'export.stix', objectType: 'incident', objectId: incidentId });
    const types = res.json<{ objects: { type: string }[] }>().objects.map((o) => o.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'incident',
        'identity',
        'indicator',
        'observed-data',
        'marking-definition',
        'relationship',
      ]),
    );
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/incidents/${incidentId}/stix`,
          headers: otherCiso.headers(),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('loses and duplicates nothing under 200 concurrent API submissions with retries', async () => {
    const tokenRes = await post(ciso, '/api/tokens', {
      name: 'SIEM',
      permissions: ['incidents.report', 'incidents.read'],
    });
    expect(tokenRes.statusCode).toBe(201);
    const token = tokenRes.json<{ token: string }>().token;
    const before = (await t.p.db.selectFrom('incidents').select('id').execute()).length;
    const send = (i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/incidents',
        payload: base({
          title: `Burst incident ${i}`,
          severity: 'low',
          indicators: [{ type: 'ipv4', value: `198.51.100.${i % 250}` }],
        }),
        headers: {
          authorization: `Bearer ${token}`,
          'idempotency-key': `burst-key-${String(i).padStart(4, '0')}`,
        },
      });
    // 200 distinct submissions, and 50 of them retried at the same time.
    const results = await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => send(i)),
      ...Array.from({ length: 50 }, (_, i) => send(i * 4)),
    ]);
    expect(results.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    const rows = await t.p.db
      .selectFrom('incidents')
      .select(['id', 'reference', 'title'])
      .where('title', 'like', 'Burst incident %')
      .execute();
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.reference)).size).toBe(200);
    expect(new Set(results.map((r) => r.json<{ id: string }>().id)).size).toBe(200);
    expect((await t.p.db.selectFrom('incidents').select('id').execute()).length).toBe(before + 200);
  });
});
