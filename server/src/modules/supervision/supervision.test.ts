import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { expectAudited } from '../../../test/audited.ts';
import { loadDemo } from '../../demo/demo.ts';

const DAY = 86_400_000;
const START = '2026-06-01T05:00:00.000Z';

interface Audit {
  id: string;
  reference: string;
  status: string;
  version: number;
  responseDueAt: string | null;
  checklist: { itemId: string }[];
  findings: {
    id: string;
    actions: {
      id: string;
      version: number;
      status: string;
      overdue: boolean;
      evidence: { id: string; fileName: string; uploadedBy: string }[];
    }[];
  }[];
  allowedActions: string[];
}

describe('supervision: plan, audit, corrective actions, compliance and enforcement', () => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let admin: Agent, regulator: Agent, ciso: Agent, lead: Agent, other: Agent, otherCiso: Agent;
  let entity: { id: string; cii_tier: number | null; annual_turnover: number | null };
  let leadAuditorId: string, otherAuditorId: string;
  let auditId: string;

  const req = (who: Agent, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/supervision${url}`, payload, headers: who.headers(method !== 'GET') });
  const audit = async (who: Agent = admin) => (await req(who, 'GET', `/audits/${auditId}`)).json<Audit>();
  async function moveClock(to: Date) {
    clock.set(to);
    await t.p.db
      .updateTable('sessions')
      .set({
        last_seen_at: to.toISOString(),
        expires_at: new Date(to.getTime() + 8 * 3_600_000).toISOString(),
      })
      .execute();
  }
  async function sweep() {
    await t.p.jobs.enqueue(t.p.db, 'compliance.sweep', {});
    await t.p.jobs.runDue(100);
  }
  const compliance = async (who: Agent = admin) =>
    (await req(who, 'GET', `/entities/${entity.id}/compliance`)).json<{
      status: string;
      facts: { code: string; level: string; text: string }[];
    }>();

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await loadDemo(t.p, { entities: 60, incidents: false });
    entity = await t.p.db
      .selectFrom('entities')
      .select(['id', 'cii_tier', 'annual_turnover'])
      .where('sector', '=', 'telecom')
      .where('annual_turnover', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const otherEntity = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('id', '!=', entity.id)
      .executeTakeFirstOrThrow();
    admin = await t.signInAs({
      email: 'admin@ncsa.pk',
      displayName: 'Admin',
      roles: [{ role: 'authority_admin', scopeValue: null }],
    });
    regulator = await t.signInAs({
      email: 'reg@pta.pk',
      displayName: 'PTA',
      roles: [{ role: 'sector_regulator', scopeValue: 'telecom' }],
    });
    ciso = await t.signInAs({
      email: 'ciso@a.pk',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeValue: entity.id }],
    });
    otherCiso = await t.signInAs({
      email: 'ciso@b.pk',
      displayName: 'CISO B',
      roles: [{ role: 'entity_admin', scopeValue: otherEntity.id }],
    });
    const firm = await req(admin, 'POST', '/firms', {
      name: 'Indus Assurance',
      licenceNo: 'AF-2026-01',
      licenceValidUntil: '2027-12-31',
    });
    expect(firm.statusCode).toBe(201);
    const firmId = firm.json<{ id: string }>().id;
    lead = await t.signInAs({
      email: 'lead@indus.pk',
      displayName: 'Lead Auditor',
      roles: [{ role: 'auditor', scopeValue: firmId }],
    });
    other = await t.signInAs({
      email: 'other@indus.pk',
      displayName: 'Other Auditor',
      roles: [{ role: 'auditor', scopeValue: firmId }],
    });
    const userId = async (email: string) =>
      (await t.p.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const reg = async (email: string, licenceNo: string) =>
      (
        await req(admin, 'POST', '/auditors', {
          userId: await userId(email),
          firmId,
          licenceNo,
          licenceValidUntil: '2027-06-30',
        })
      ).json<{ id: string }>().id;
    leadAuditorId = await reg('lead@indus.pk', 'AU-001');
    otherAuditorId = await reg('other@indus.pk', 'AU-002');
  });
  afterAll(async () => t?.close());

  it('proposes a risk-based plan the Authority adjusts and approves into audits', async () => {
    const created = await req(admin, 'POST', '/plans', {
      name: 'Telecom audits 2026',
      periodStart: '2026-06-01',
      periodEnd: '2026-12-31',
      capacity: 2,
      sectors: ['telecom'],
    });
    expect(created.statusCode).toBe(201);
    let plan = created.json<{
      id: string;
      version: number;
      items: { entityId: string; riskScore: number; included: boolean; reasons: { label: string }[] }[];
    }>();
    expect(plan.items.filter((i) => i.included)).toHaveLength(2);
    // Ranked by risk, with the reasons behind each score; never audited counts for everyone here.
    expect(plan.items.map((i) => i.riskScore)).toEqual(
      [...plan.items.map((i) => i.riskScore)].sort((a, b) => b - a),
    );
    expect(plan.items[0]!.reasons.map((r) => r.label)).toContain('Never audited');
    expect(
      (
        await req(regulator, 'POST', '/plans', {
          name: 'Regulator plan',
          periodStart: '2026-06-01',
          periodEnd: '2026-12-31',
          capacity: 1,
        })
      ).statusCode,
    ).toBe(403);
    for (const i of plan.items.filter((x) => x.included && x.entityId !== entity.id).slice(0, 1))
      plan = (await req(admin, 'PUT', `/plans/${plan.id}/items/${i.entityId}`, { included: false })).json();
    plan = (await req(admin, 'PUT', `/plans/${plan.id}/items/${entity.id}`, { included: true })).json();
    // An entity the proposal did not keep can be added: it is scored like the candidates.
    const outsider = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('sector', '!=', 'telecom')
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const added = (
      await req(admin, 'PUT', `/plans/${plan.id}/items/${outsider.id}`, { included: true })
    ).json<typeof plan & { items: { entityId: string; proposed: boolean }[] }>();
    const extra = added.items.find((i) => i.entityId === outsider.id)!;
    expect(extra).toMatchObject({ proposed: false, included: true });
    expect(extra.reasons.map((r) => r.label)).toContain('Never audited');
    plan = (await req(admin, 'PUT', `/plans/${plan.id}/items/${outsider.id}`, { included: false })).json();
    expect(
      (
        await req(admin, 'PUT', `/plans/${plan.id}/items/00000000-0000-7000-8000-000000000000`, {
          included: true,
        })
      ).statusCode,
    ).toBe(404);
    const approved = await req(admin, 'POST', `/plans/${plan.id}/approve`, { version: plan.version });
    expect(approved.json<{ status: string }>().status).toBe('approved');
    expect(
      (await req(admin, 'PUT', `/plans/${plan.id}/items/${entity.id}`, { included: false })).statusCode,
    ).toBe(409);
    const audits = (await req(admin, 'GET', `/audits?entityId=${entity.id}`)).json<
      { id: string; status: string; reference: string }[]
    >();
    expect(audits.map((a) => a.status)).toEqual(['planned']);
    expect(audits[0]!.reference).toMatch(/^AUD-2026-\d{4}$/);
    auditId = audits[0]!.id;
  });

  it('assigns a licensed auditor without conflicts; other auditors cannot even see the audit', async () => {
    const conflict = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/auditors/${otherAuditorId}/conflicts`,
      payload: { entityId: entity.id, statement: 'I advised this operator on its SOC in 2025.' },
      headers: other.headers(true),
    });
    expect(conflict.statusCode).toBe(201);
    // An auditor declares only for themself; the Authority records a declaration made to it in writing.
    const forOther = { entityId: entity.id, statement: 'Declared in writing on 2 June 2026.' };
    expect((await req(lead, 'POST', `/auditors/${otherAuditorId}/conflicts`, forOther)).statusCode).toBe(404);
    expect((await req(regulator, 'POST', `/auditors/${otherAuditorId}/conflicts`, forOther)).statusCode).toBe(
      403,
    );
    expect((await req(admin, 'POST', `/auditors/${otherAuditorId}/conflicts`, forOther)).statusCode).toBe(
      201,
    );
    const listed = (await req(admin, 'GET', '/auditors')).json<{
      auditors: { id: string; conflicts: { statement: string }[] }[];
    }>();
    expect(listed.auditors.find((x) => x.id === otherAuditorId)!.conflicts.map((c) => c.statement)).toEqual([
      'I advised this operator on its SOC in 2025.',
      'Declared in writing on 2 June 2026.',
    ]);
    let a = await audit();
    const refused = await req(regulator, 'POST', `/audits/${auditId}/assign`, {
      version: a.version,
      leadAuditorId: otherAuditorId,
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.body).toContain('conflict of interest');
    expect((await req(lead, 'GET', `/audits/${auditId}`)).statusCode).toBe(404);
    const ok = await req(regulator, 'POST', `/audits/${auditId}/assign`, {
      version: a.version,
      leadAuditorId,
    });
    expect(ok.statusCode).toBe(200);
    expect((await req(lead, 'GET', `/audits/${auditId}`)).statusCode).toBe(200);
    expect((await req(other, 'GET', `/audits/${auditId}`)).statusCode).toBe(404);
    expect((await req(other, 'GET', '/audits')).json()).toEqual([]);
    expect((await req(otherCiso, 'GET', `/audits/${auditId}`)).statusCode).toBe(404);
    a = await audit(lead);
    expect(a.allowedActions).toEqual(['start']);
  });

  it('runs fieldwork: checklist from the framework and findings only the lead auditor can write', async () => {
    let a = (await req(lead, 'POST', `/audits/${auditId}/start`)).json<Audit>();
    expect(a.status).toBe('fieldwork');
    expect(a.checklist.length).toBe(60);
    const item = a.checklist[0]!.itemId;
    expect(
      (
        await req(lead, 'PUT', `/audits/${auditId}/checklist/${item}`, {
          result: 'major_gap',
          note: 'No asset inventory.',
        })
      ).statusCode,
    ).toBe(200);
    const finding = {
      itemId: item,
      title: 'No asset inventory',
      description: 'The operator keeps no inventory of its critical assets.',
      severity: 'high',
    };
    expect((await req(ciso, 'POST', `/audits/${auditId}/findings`, finding)).statusCode).toBe(403);
    expect(
      (await req(ciso, 'PUT', `/audits/${auditId}/checklist/${item}`, { result: 'conforms' })).statusCode,
    ).toBe(403);
    expect((await req(other, 'POST', `/audits/${auditId}/findings`, finding)).statusCode).toBe(404);
    expect((await req(lead, 'POST', `/audits/${auditId}/findings`, finding)).statusCode).toBe(201);
    a = (await req(lead, 'POST', `/audits/${auditId}/preliminary`)).json<Audit>();
    expect(a.status).toBe('preliminary_issued');
    // Telecom licensees answer PTA's preliminary report within 7 days.
    expect(a.responseDueAt).toBe(new Date(Date.parse(START) + 7 * DAY).toISOString());
  });

  it('takes the entity’s answers and corrective actions, and recomputes compliance', async () => {
    const a = await audit(ciso);
    expect(a.allowedActions).toEqual(expect.arrayContaining(['respond', 'add_action']));
    const f = a.findings[0]!;
    expect((await req(ciso, 'POST', `/audits/${auditId}/respond`)).statusCode).toBe(400);
    expect(
      (
        await req(ciso, 'POST', `/findings/${f.id}/response`, {
          response: 'Agreed; an inventory project has started.',
        })
      ).statusCode,
    ).toBe(200);
    const past = await req(ciso, 'POST', `/findings/${f.id}/actions`, {
      title: 'Build the asset inventory',
      owner: 'Head of IT',
      dueOn: '2026-05-01',
    });
    expect(past.statusCode).toBe(400);
    const action = await req(ciso, 'POST', `/findings/${f.id}/actions`, {
      title: 'Build the asset inventory',
      owner: 'Head of IT',
      dueOn: '2026-06-11',
      milestones: [{ title: 'Discovery scan', dueOn: '2026-06-05' }],
    });
    expect(action.statusCode).toBe(201);
    expect((await req(ciso, 'POST', `/audits/${auditId}/respond`)).json<Audit>().status).toBe(
      'entity_responded',
    );
    await t.p.jobs.runDue(100);
    const c = await compliance(ciso);
    expect(c.status).toBe('at_risk');
    expect(c.facts[0]!.code).toBe('actions_due_soon');
    expect(
      (
        await req(lead, 'POST', `/audits/${auditId}/final`, {
          summary: 'One high finding; corrective action agreed.',
        })
      ).json<Audit>().status,
    ).toBe('final_issued');
  });

  it('turns the entity non-compliant when its corrective action goes past due, and alerts the Authority', async () => {
    await moveClock(new Date(Date.parse(START) + 12 * DAY));
    await sweep();
    const c = await compliance();
    expect(c.status).toBe('non_compliant');
    expect(c.facts[0]).toMatchObject({
      code: 'actions_overdue',
      level: 'non_compliant',
      text: '1 corrective action past due.',
    });
    const a = await audit(ciso);
    expect(a.findings[0]!.actions[0]).toMatchObject({ overdue: true });
    const adminId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin@ncsa.pk')
        .executeTakeFirstOrThrow()
    ).id;
    const notes = await t.p.db
      .selectFrom('notifications')
      .select('kind')
      .where('user_id', '=', adminId)
      .where('kind', '=', 'supervision.action_overdue')
      .execute();
    expect(notes).toHaveLength(1);
    const board = (await req(regulator, 'GET', '/board')).json<{
      byStatus: Record<string, number>;
      overdueActions: number;
      attention: { entityId: string; status: string }[];
    }>();
    expect(board.overdueActions).toBe(1);
    expect(board.attention).toContainEqual(
      expect.objectContaining({ entityId: entity.id, status: 'non_compliant' }),
    );
    const map = (await req(admin, 'GET', '/national')).json<{
      bySector: { key: string; non_compliant: number }[];
    }>();
    expect(map.bySector.find((s) => s.key === 'telecom')!.non_compliant).toBeGreaterThanOrEqual(1);
    expect((await req(ciso, 'GET', '/board')).statusCode).toBe(403);
  });

  it('takes an enforcement case from notice to a decision with a computed penalty, an appeal and closure', async () => {
    const opened = await req(admin, 'POST', '/cases', {
      entityId: entity.id,
      violation: 'overdue_corrective_action',
      violationDate: '2026-06-12',
      facts: ['Corrective action "Build the asset inventory" was due on 2026-06-11 and is not complete.'],
    });
    expect(opened.statusCode).toBe(201);
    const id = opened.json<{ id: string }>().id;
    const step = (who: Agent, body: object) => req(who, 'POST', `/cases/${id}/steps`, body);
    expect((await step(ciso, { step: 'notice', text: 'x' })).statusCode).toBe(403);
    expect(
      (await step(admin, { step: 'decision', outcome: 'penalty', text: 'x' })).json<{ code: string }>().code,
    ).toBe('wrong_case_stage');
    expect(
      (await step(admin, { step: 'notice', text: 'You are notified of a violation; answer within 14 days.' }))
        .statusCode,
    ).toBe(200);
    expect((await step(otherCiso, { step: 'response', text: 'x' })).statusCode).toBe(404);
    expect((await step(ciso, { step: 'response', text: 'The inventory is 80% complete.' })).statusCode).toBe(
      200,
    );
    const hearingAt = new Date(clock.now().getTime() + 5 * DAY).toISOString();
    expect(
      (await step(admin, { step: 'hearing', at: hearingAt, text: 'Hearing at the Authority.' })).statusCode,
    ).toBe(200);
    // A factor listed twice would count twice: refused with the factor named, and nothing recorded.
    const twice = await step(admin, {
      step: 'decision',
      outcome: 'penalty',
      factors: [{ code: 'repeat' }, { code: 'repeat' }, { code: 'repeat' }],
      text: 'The entity failed to complete a corrective action on time.',
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(twice.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'validation_failed',
      detail: 'The factor \u201crepeat\u201d is listed twice.',
    });
    const decided = await step(admin, {
      step: 'decision',
      outcome: 'penalty',
      factors: [{ code: 'cooperation' }, { code: 'duration', months: 1 }],
      overrideLegalStatus: { reason: 'Test of the workflow on the placeholder schedule.' },
      text: 'The entity failed to complete a corrective action on time.',
    });
    expect(decided.statusCode).toBe(200);
    const c = decided.json<{
      penalty: { amount: number; explanation: string[] };
      stage: string;
      allowedSteps: string[];
    }>();
    // Hand-computed from the entity's tier and turnover: base x (1 - 20% + 10%), capped at 1% of turnover.
    const base = { '1': 5_000_000, '2': 2_500_000, '3': 1_000_000, none: 500_000 }[
      entity.cii_tier === null ? 'none' : (String(entity.cii_tier) as '1')
    ];
    const expected = Math.min(Math.round(base * 0.9), Math.round(entity.annual_turnover! * 0.01));
    expect(c.penalty.amount).toBe(expected);
    expect(c.penalty.explanation.at(-1)).toContain(expected.toLocaleString('en-US'));
    const pdf = await req(ciso, 'GET', `/cases/${id}/decision.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    await expectAudited(t, pdf, { action: 'export.decision_letter', objectType: 'case', objectId: id });
    expect((await step(admin, { step: 'close', text: 'x' })).json<{ code: string }>().code).toBe(
      'appeal_window_open',
    );
    expect((await step(ciso, { step: 'appeal', text: 'The delay was caused by a vendor.' })).statusCode).toBe(
      200,
    );
    const reduced = await step(admin, {
      step: 'appeal_decision',
      outcome: 'reduced',
      amount: Math.round(expected / 2),
      text: 'Vendor delay accepted in part.',
    });
    expect(reduced.json<{ penalty: { amount: number } }>().penalty.amount).toBe(Math.round(expected / 2));
    const closed = await step(admin, { step: 'close', text: 'Penalty paid.' });
    const file = closed.json<{
      stage: string;
      events: { step: string; hearingAt: string | null; outcome: string | null; amount: number | null }[];
    }>();
    expect(file.stage).toBe('closed');
    // The case file keeps what each step decided, not only its text.
    const event = (s: string) => file.events.find((e) => e.step === s)!;
    expect(event('hearing').hearingAt).toBe(hearingAt);
    expect(event('decision')).toMatchObject({
      outcome: 'penalty',
      amount: expected,
      factors: [{ code: 'cooperation' }, { code: 'duration', months: 1 }],
    });
    expect(event('appeal_decision')).toMatchObject({ outcome: 'reduced', amount: Math.round(expected / 2) });
    expect(file.events.map((e) => e.step)).toEqual([
      'opened',
      'notice',
      'response',
      'hearing',
      'decision',
      'appeal',
      'appeal_decision',
      'close',
    ]);
    expect((await req(lead, 'GET', `/cases/${id}`)).statusCode).toBe(404);
  });

  it('caps a penalty at a share of the turnover established in the decision when the registry has none', async () => {
    const bare = await t.p.db
      .selectFrom('entities')
      .select('id')
      .where('id', '!=', entity.id)
      .where('sector', '=', 'telecom')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await t.p.db.updateTable('entities').set({ annual_turnover: null }).where('id', '=', bare.id).execute();
    const id = (
      await req(admin, 'POST', '/cases', {
        entityId: bare.id,
        violation: 'overdue_corrective_action',
        violationDate: '2026-06-12',
        facts: ['A corrective action is past due.'],
      })
    ).json<{ id: string }>().id;
    const step = (body: object) => req(admin, 'POST', `/cases/${id}/steps`, body);
    expect(
      (await req(admin, 'GET', `/cases/${id}`)).json<{ annualTurnover: number | null }>().annualTurnover,
    ).toBe(null);
    for (const s of ['notice', 'hearing'] as const)
      expect(
        (
          await step({
            step: s,
            text: 'Step.',
            ...(s === 'hearing' ? { at: new Date(clock.now().getTime() + DAY).toISOString() } : {}),
          })
        ).statusCode,
      ).toBe(200);
    const refused = await step({ step: 'decision', outcome: 'penalty', text: 'Decided.' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('body.annualTurnover');
    // 1% of PKR 40 million is below every tier's base, so the cap decides the amount.
    const decided = await step({
      step: 'decision',
      outcome: 'penalty',
      annualTurnover: 40_000_000,
      overrideLegalStatus: { reason: 'Test of the workflow on the placeholder schedule.' },
      text: 'Decided on the audited accounts.',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const penalty = decided.json<{ penalty: { amount: number; explanation: string[] } }>().penalty;
    expect(penalty.amount).toBe(400_000);
    expect(penalty.explanation.join(' ')).toContain('PKR 40,000,000');
  });

  it('closes a finding once its corrective actions are verified, and the entity returns to compliance on that count', async () => {
    let a = await audit(ciso);
    const act = a.findings[0]!.actions[0]!;
    expect(
      (await req(lead, 'POST', `/actions/${act.id}/verify`, { decision: 'verified' })).json<{
        code: string;
      }>().code,
    ).toBe('not_submitted');
    // The entity attaches its evidence; the auditor lists and downloads it, another entity cannot.
    const boundary = '----qilaevidence';
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/actions/${act.id}/evidence`,
      headers: { ...ciso.headers(true), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="inventory.csv"\r\nContent-Type: text/csv\r\n\r\nasset,owner\r\ncore-router-1,NOC\r\n--${boundary}--\r\n`,
      ),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const listed = (await audit(lead)).findings[0]!.actions[0]!.evidence;
    expect(listed).toEqual([
      expect.objectContaining({
        id: upload.json<{ id: string }>().id,
        fileName: 'inventory.csv',
        uploadedBy: 'ciso@a.pk',
      }),
    ]);
    const file = await req(lead, 'GET', `/actions/${act.id}/evidence/${listed[0]!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('inventory.csv');
    expect(file.body).toBe('asset,owner\r\ncore-router-1,NOC');
    await expectAudited(t, file, {
      action: 'file.downloaded',
      objectType: 'corrective_action',
      objectId: act.id,
    });
    expect((await req(otherCiso, 'GET', `/actions/${act.id}/evidence/${listed[0]!.id}`)).statusCode).toBe(
      404,
    );
    expect(
      (
        await req(ciso, 'PATCH', `/actions/${act.id}`, {
          version: act.version,
          status: 'submitted',
          progressNote: 'Inventory complete.',
        })
      ).statusCode,
    ).toBe(200);
    expect((await req(ciso, 'POST', `/actions/${act.id}/verify`, { decision: 'verified' })).statusCode).toBe(
      403,
    );
    expect((await req(lead, 'POST', `/actions/${act.id}/verify`, { decision: 'verified' })).statusCode).toBe(
      200,
    );
    a = await audit(ciso);
    expect(a.findings[0]).toMatchObject({ status: 'closed' });
    await t.p.jobs.runDue(100);
    await sweep();
    const c = await compliance();
    expect(c.facts.some((f) => f.code === 'actions_overdue')).toBe(false);
    expect(c.facts.some((f) => f.code === 'audit_current')).toBe(true);
  });
});
