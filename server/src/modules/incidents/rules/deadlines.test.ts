import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../../platform/jurisdiction/business-calendar.ts';
import { holds, type IncidentFacts } from './conditions.ts';
import { dutyStatus, planDuties, type DutyPlan } from './deadlines.ts';
import { loadReportingRuleSets, regimesInForce, type ReportingRuleSet } from './rule-set.ts';

const catalogs = path.resolve(import.meta.dirname, '../../../../../catalogs');
const pk = loadReportingRuleSets(catalogs, 'pk');
const eu = loadReportingRuleSets(catalogs, 'eu');
const rules = (sets: ReportingRuleSet[], code: string) => sets.find((s) => s.code === code)!;

// Karachi is UTC+5 all year; 23 March 2026 (a Monday) is the only holiday in this test calendar.
const karachi = new BusinessCalendar('Asia/Karachi', [1, 2, 3, 4, 5], new Set(['2026-03-23']));
const brussels = new BusinessCalendar('Europe/Brussels', [1, 2, 3, 4, 5], new Set());

const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: 'high',
  rsitClass: 'intrusions',
  rsitType: 'system-compromise',
  sector: 'telecom',
  subsector: 'telecom.mobile',
  entityKind: 'private',
  ciiTier: null,
  usersAffected: null,
  downtimeHours: null,
  financialLoss: null,
  financialLossPctOfTurnover: null,
  personalData: false,
  crossBorder: false,
  suspectedMalicious: true,
  healthImpact: false,
  serviceWhollyUnavailable: false,
  tradeSecretsExfiltrated: false,
  damageToOthers: false,
  recurringIncidents: null,
  recurringFinancialLoss: null,
  recurringFinancialLossPctOfTurnover: null,
  ...over,
});
const due = (plans: DutyPlan[], code: string) => plans.find((p) => p.stage.code === code)!;
const at = (iso: string) => new Date(iso);

describe('deadline arithmetic (hand-computed)', () => {
  it('counts hour clocks across midnight and the end of a month', () => {
    // Aware at 22:30 on 31 January in Karachi (17:30 UTC).
    const aware = at('2026-01-31T17:30:00Z');
    const plans = planDuties(
      rules(pk, 'pk-ncsa-act'),
      facts(),
      { awareness: aware, classification: aware, detection: null },
      new Map(),
      karachi,
    );
    expect(due(plans, 'early_warning').dueAt).toEqual(at('2026-02-01T17:30:00Z'));
    expect(due(plans, 'notification').dueAt).toEqual(at('2026-02-03T17:30:00Z'));
    expect(due(plans, 'early_warning').basis).toBe(
      '24 hours after awareness (2026-01-31 22:30 (Asia/Karachi))',
    );
    // The final report runs from the notification, which has not been sent yet.
    expect(due(plans, 'final')).toMatchObject({ dueAt: null, waitingOn: 'notification' });
    expect(dutyStatus(due(plans, 'final'), null, at('2026-02-02T00:00:00Z'))).toBe('waiting');
  });

  it('restarts a clock from the moment the previous stage was met, in calendar days', () => {
    const aware = at('2026-01-31T17:30:00Z');
    // The notification went in late: 4 Feb 05:00 Karachi, after the 3 Feb 22:30 deadline.
    const notified = at('2026-02-04T00:00:00Z');
    const plans = planDuties(
      rules(pk, 'pk-ncsa-act'),
      facts(),
      { awareness: aware, classification: aware, detection: null },
      new Map([['notification', notified]]),
      karachi,
    );
    expect(dutyStatus(due(plans, 'notification'), notified, notified)).toBe('met_late');
    // 30 calendar days after 4 Feb 05:00 local is 6 March 05:00 local.
    expect(due(plans, 'final').dueAt).toEqual(at('2026-03-06T00:00:00Z'));
  });

  it('counts business days across a weekend and a public holiday, keeping the time of day', () => {
    // PTA detailed report: 5 working days after the report to PTA on Thursday 19 March 14:00 Karachi.
    const aware = at('2026-03-18T09:00:00Z');
    const reported = at('2026-03-19T09:00:00Z');
    const plans = planDuties(
      rules(pk, 'pta-telecom'),
      facts(),
      { awareness: aware, classification: aware, detection: null },
      new Map([['notification', reported]]),
      karachi,
    );
    // Fri 20 (1), Mon 23 holiday, Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
    expect(due(plans, 'final').dueAt).toEqual(at('2026-03-27T09:00:00Z'));
    expect(due(plans, 'final').basis).toBe(
      '5 business days after the report to PTA (2026-03-19 14:00 (Asia/Karachi))',
    );
  });

  it('keeps the PTA rule and the telecom overlay on the same reading of the draft, with its source', () => {
    const pta = rules(pk, 'pta-telecom');
    const [report, detailed] = pta.stages;
    expect(report!.clock).toEqual({ from: 'awareness', hours: 24 });
    expect(detailed!.clock).toEqual({ from: 'stage:notification', businessDays: 5 });
    for (const s of pta.stages) {
      expect(s.source).toMatchObject({ date: '2025', certainty: 'secondary' });
      expect(s.source?.instrument).toContain('PTA');
    }
    const overlay = JSON.parse(
      readFileSync(path.join(catalogs, 'frameworks/overlay-telecom.json'), 'utf8'),
    ) as { groups: { requirements?: { id: string; statement: { en: string } }[] }[] };
    const tel04 = overlay.groups.flatMap((g) => g.requirements ?? []).find((r) => r.id === 'PK.TEL-04')!
      .statement.en;
    // Counted from awareness, as the rule counts, not from detection.
    expect(tel04).toContain('within 24 hours of becoming aware');
    expect(tel04).toContain('detailed report within five working days');
    expect(tel04).not.toContain('detection');
  });

  it('adds months with the day clamped to the end of a shorter month', () => {
    // NIS2 final report: one month after a notification sent on 31 January 11:00 Brussels (CET).
    const aware = at('2026-01-29T10:00:00Z');
    const plans = planDuties(
      rules(eu, 'eu-nis2'),
      facts({ financialLoss: 600000 }),
      { awareness: aware, classification: aware, detection: null },
      new Map([['notification', at('2026-01-31T10:00:00Z')]]),
      brussels,
    );
    expect(due(plans, 'final').dueAt).toEqual(at('2026-02-28T10:00:00Z'));
  });

  it('takes the earlier of two limits and moves a weekend deadline to noon of the next working day (DORA)', () => {
    // Aware Friday 8 May 02:00 Brussels (CEST), classified major at 20:00: 4 h after
    // classification (8 May 24:00 local) comes before 24 h after awareness (9 May 02:00 local).
    const plans = planDuties(
      rules(eu, 'eu-dora'),
      facts({ sector: 'finance', severity: 'critical' }),
      { awareness: at('2026-05-08T00:00:00Z'), classification: at('2026-05-08T18:00:00Z'), detection: null },
      new Map([['initial', at('2026-05-06T10:00:00Z')]]),
      brussels,
    );
    expect(due(plans, 'initial').dueAt).toEqual(at('2026-05-08T22:00:00Z'));
    // Classified late (Saturday 9 May 01:00 local): the 24-hour limit from awareness wins.
    const late = planDuties(
      rules(eu, 'eu-dora'),
      facts({ sector: 'finance', severity: 'critical' }),
      { awareness: at('2026-05-08T00:00:00Z'), classification: at('2026-05-08T23:00:00Z'), detection: null },
      new Map(),
      brussels,
    );
    expect(due(late, 'initial').dueAt).toEqual(at('2026-05-09T00:00:00Z'));
    // Intermediate: 72 h after an initial report of Wednesday 6 May 12:00 local is Saturday 9 May
    // 12:00 local; it moves to Monday 11 May 12:00 local (10:00 UTC).
    expect(due(plans, 'intermediate').dueAt).toEqual(at('2026-05-11T10:00:00Z'));
    expect(due(plans, 'intermediate').basis).toContain('moved from a non-working day');
  });

  it('runs a clock from where a stage that is not owed would have started', () => {
    // Medium severity at a designated CII: the Act applies, but no early warning is owed.
    const f = facts({ severity: 'medium', ciiTier: 2 });
    expect(holds(rules(pk, 'pk-ncsa-act').appliesWhen, f)).toBe(true);
    expect(holds(rules(pk, 'pk-ncsa-act').appliesWhen, facts({ severity: 'medium' }))).toBe(false);
    const aware = at('2026-06-10T05:00:00Z');
    const plans = planDuties(
      rules(pk, 'pk-ncsa-act'),
      f,
      { awareness: aware, classification: aware, detection: null },
      new Map(),
      karachi,
    );
    expect(due(plans, 'early_warning').owed).toBe(false);
    expect(dutyStatus(due(plans, 'early_warning'), null, aware)).toBe('not_required');
    expect(due(plans, 'notification').dueAt).toEqual(at('2026-06-13T05:00:00Z'));
  });

  it('keeps the rule set in force when the incident began after a newer version is published', () => {
    const v1 = rules(pk, 'pk-ncsa-act');
    const v2: ReportingRuleSet = {
      ...v1,
      version: '2026.2',
      effectiveFrom: '2026-06-01',
      stages: v1.stages.map((s) =>
        s.code === 'notification' ? { ...s, clock: { from: 'awareness', hours: 48 } } : s,
      ),
    };
    const sets = [v1, v2];
    expect(regimesInForce(sets, '2026-05-31').map((s) => s.version)).toEqual(['2026.1']);
    expect(regimesInForce(sets, '2026-06-01').map((s) => s.version)).toEqual(['2026.2']);
    const aware = at('2026-05-31T12:00:00Z');
    const [inForce] = regimesInForce(sets, '2026-05-31');
    const plans = planDuties(
      inForce!,
      facts(),
      { awareness: aware, classification: aware, detection: null },
      new Map(),
      karachi,
    );
    expect(due(plans, 'notification').dueAt).toEqual(at('2026-06-03T12:00:00Z'));
  });

  it('marks a duty overdue only once its deadline has passed, and met on time at the deadline itself', () => {
    const plan = { owed: true, dueAt: at('2026-02-01T00:00:00Z') };
    expect(dutyStatus(plan, null, at('2026-01-31T23:59:59Z'))).toBe('due');
    expect(dutyStatus(plan, null, at('2026-02-01T00:00:01Z'))).toBe('overdue');
    expect(dutyStatus(plan, at('2026-02-01T00:00:00Z'), at('2026-02-02T00:00:00Z'))).toBe('met');
  });
});
