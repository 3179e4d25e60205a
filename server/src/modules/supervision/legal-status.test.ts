import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { loadDemo } from '../../demo/demo.ts';
import { renderDecisionLetter } from './decision-letter.ts';

const DAY = 86_400_000;
const START = '2026-06-01T05:00:00.000Z';

interface LegalStatus {
  status: string;
  instrument: string | null;
  binding: boolean;
  basis: string;
}

/**
 * The text a PDF shows, from pdfkit's content streams: inflate each stream and join the hex
 * strings of its text operators. Good enough for our own letters (standard fonts, WinAnsi).
 */
function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // not a compressed content stream (a font, say)
    }
    if (!/\bBT\b/.test(body)) continue;
    const text = [...body.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)]
      .map((t) =>
        (t[1] ?? `<${t[2]}>`)
          .match(/<([0-9a-fA-F]*)>/g)!
          .map((h) => Buffer.from(h.slice(1, -1), 'hex').toString('latin1'))
          .join(''),
      )
      .join(' ');
    pages.push(text.replace(/\s+/g, ' '));
  }
  return pages;
}

describe('legal status: every rule set says how binding it is, and a decision under a placeholder is marked', () => {
  let t: TestApp;
  const clock = new ManualClock(START);
  let admin: Agent, ciso: Agent;
  let entityId: string;

  const api = (who: Agent, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: who.headers(method !== 'GET') });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await loadDemo(t.p, { entities: 30, incidents: false });
    entityId = (
      await t.p.db
        .selectFrom('entities')
        .select('id')
        .where('sector', '=', 'telecom')
        .where('annual_turnover', 'is not', null)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
    admin = await t.signInAs({
      email: 'admin@ncsa.pk',
      displayName: 'Admin',
      roles: [{ role: 'authority_admin', scopeValue: null }],
    });
    ciso = await t.signInAs({
      email: 'ciso@a.pk',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeValue: entityId }],
    });
  });
  afterAll(async () => t?.close());

  it('lists the Act as proposed law and PTA’s rules as a draft, in the regimes and on every duty', async () => {
    const ref = (await api(ciso, 'GET', '/api/incidents/reference-data')).json<{
      regimes: { code: string; name: string; legalStatus: LegalStatus }[];
    }>();
    const act = ref.regimes.find((r) => r.code === 'pk-ncsa-act')!;
    expect(act.legalStatus).toMatchObject({ status: 'proposed', binding: false });
    expect(act.legalStatus.basis).toContain('Cybersecurity Act');
    expect(act.name).toMatch(/^Proposed /);
    expect(ref.regimes.find((r) => r.code === 'pta-telecom')!.legalStatus.status).toBe('draft');

    const created = await api(ciso, 'POST', '/api/incidents', {
      title: 'Core network intrusion',
      summary: 'Unauthorised access to a billing server.',
      severity: 'high',
      rsitClass: 'intrusions',
      rsitType: 'system-compromise',
      awareAt: '2026-06-01T03:00:00.000Z',
      suspectedMalicious: true,
      crossBorder: false,
      tlp: 'AMBER',
    });
    expect(created.statusCode, created.body).toBe(201);
    const duties = created.json<{ duties: { regime: string; legalStatus: LegalStatus }[] }>().duties;
    expect(duties.length).toBeGreaterThan(0);
    for (const d of duties) expect(d.legalStatus.binding).toBe(false);
    expect(duties.find((d) => d.regime === 'pk-ncsa-act')!.legalStatus.status).toBe('proposed');
    const list = (await api(admin, 'GET', '/api/incidents/duties')).json<{
      items: { regime: string; legalStatus: LegalStatus }[];
    }>();
    expect(list.items.find((d) => d.regime === 'pta-telecom')!.legalStatus.status).toBe('draft');
  });

  it('carries the status on the penalty schedule, compliance, plans and CII grading answers', async () => {
    const schedule = (await api(admin, 'GET', '/api/supervision/penalty-schedule')).json<{
      legalStatus: LegalStatus;
      effectiveFrom: string;
    }>();
    expect(schedule.legalStatus).toMatchObject({ status: 'placeholder', binding: false });
    const compliance = (await api(ciso, 'GET', `/api/supervision/entities/${entityId}/compliance`)).json<{
      legalStatus: LegalStatus;
      obligations: { incidentReporting: string };
    }>();
    expect(compliance.legalStatus.status).toBe('proposed');
    expect(compliance.obligations.incidentReporting).not.toMatch(/mandatory|law requires/i);
    const grading = (await api(admin, 'GET', '/api/registry/grading')).json<{ legalStatus: LegalStatus }>();
    expect(grading.legalStatus).toMatchObject({ status: 'placeholder', basis: 'none yet' });
  });

  it('refuses a penalty under the placeholder schedule without an override, and records the override with its reason', async () => {
    const opened = await api(admin, 'POST', '/api/supervision/cases', {
      entityId,
      violation: 'overdue_corrective_action',
      violationDate: '2026-05-20',
      // Long enough to run the letter over several pages: the banner must be on each.
      facts: Array.from({ length: 40 }, (_, i) =>
        `Fact ${i + 1}: the corrective action agreed after the audit remained incomplete. `.repeat(4),
      ),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json<{ id: string }>().id;
    const step = (body: object) => api(admin, 'POST', `/api/supervision/cases/${id}/steps`, body);
    expect((await step({ step: 'notice', text: 'Notice.' })).statusCode).toBe(200);
    const at = new Date(clock.now().getTime() + DAY).toISOString();
    expect((await step({ step: 'hearing', at, text: 'Hearing.' })).statusCode).toBe(200);

    const decision = { step: 'decision', outcome: 'penalty', text: 'The action is overdue.' };
    const refused = await step(decision);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'legal_status_override_required',
      errors: [{ path: 'body.overrideLegalStatus' }],
    });
    // Nothing half-written: the case is still at its hearing.
    expect((await api(admin, 'GET', `/api/supervision/cases/${id}`)).json<{ stage: string }>().stage).toBe(
      'hearing',
    );
    expect((await step({ ...decision, overrideLegalStatus: { reason: 'short' } })).statusCode).toBe(400);

    const reason = 'The Board directs a decision on the default schedule pending the Act.';
    const decided = await step({ ...decision, overrideLegalStatus: { reason } });
    expect(decided.statusCode, decided.body).toBe(200);
    const kase = decided.json<{
      legalStatus: LegalStatus;
      penalty: { explanation: string[] };
      events: { step: string; overrideReason: string | null }[];
    }>();
    expect(kase.legalStatus.status).toBe('placeholder');
    expect(kase.penalty.explanation.join(' ')).toContain('Illustrative');
    expect(kase.penalty.explanation.join(' ')).not.toContain('in force from');
    expect(kase.events.find((e) => e.step === 'decision')!.overrideReason).toBe(reason);
    const audit = await t.p.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'enforcement.decision')
      .where('object_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({
      legalStatus: { status: 'placeholder' },
      legalStatusOverride: { reason, by: 'admin@ncsa.pk' },
    });

    const pdf = await api(ciso, 'GET', `/api/supervision/cases/${id}/decision.pdf`);
    expect(pdf.statusCode).toBe(200);
    const pages = pdfPages(pdf.rawPayload);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toContain('penalty schedule: placeholder (illustration); not law');
    const text = pages.join(' ');
    expect(text).toContain('Illustrative: the penalty schedule is a placeholder');
    expect(text).toContain(reason);
    expect(text).not.toContain('in force from');
  });

  it('dismisses without an override: a dismissal applies no sanction from the schedule', async () => {
    const id = (
      await api(admin, 'POST', '/api/supervision/cases', {
        entityId,
        violation: 'late_incident_report',
        violationDate: '2026-05-21',
        facts: ['A report arrived late.'],
      })
    ).json<{ id: string }>().id;
    const step = (body: object) => api(admin, 'POST', `/api/supervision/cases/${id}/steps`, body);
    await step({ step: 'notice', text: 'Notice.' });
    await step({
      step: 'hearing',
      at: new Date(clock.now().getTime() + DAY).toISOString(),
      text: 'Hearing.',
    });
    expect((await step({ step: 'decision', outcome: 'warning', text: 'Warned.' })).statusCode).toBe(422);
    expect((await step({ step: 'decision', outcome: 'dismissed', text: 'Dismissed.' })).statusCode).toBe(200);
  });

  it('prints no illustrative marking on a letter under a schedule in force, only its basis', async () => {
    const pdf = await renderDecisionLetter({
      reference: 'ENF-2027-0001',
      authority: 'National Cyber Security Authority',
      entityName: 'Entity',
      registrationNo: 'R-1',
      decidedAt: '2027-03-01T09:00:00Z',
      violationName: 'Late report',
      violationDate: '2027-02-01',
      facts: ['A report was late.'],
      outcome: 'warning',
      decisionText: 'Warned.',
      penalty: null,
      appealBy: null,
      schedule: { version: '2027.1', effectiveFrom: '2027-01-01' },
      legalStatus: {
        status: 'in_force',
        instrument: 'Cybersecurity Act 2027',
        article: 's. 40',
        note: 'In force.',
      },
      override: null,
    });
    const text = pdfPages(pdf).join(' ');
    expect(text).not.toMatch(/illustrative/i);
    expect(text).toContain('Legal status: in force; basis: Cybersecurity Act 2027, s. 40.');
  });
});
