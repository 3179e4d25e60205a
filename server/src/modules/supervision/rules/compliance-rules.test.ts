import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCompliance, type ComplianceFacts } from './compliance-rules.ts';
import { loadSupervisionRules, supervisionRulesOn } from './obligations.ts';

const catalogs = path.resolve(import.meta.dirname, '../../../../../catalogs');
const rules = supervisionRulesOn(loadSupervisionRules(catalogs, 'pk'), '2026-11-28')!;
const now = new Date('2026-11-28T10:00:00Z');
const facts = (over: Partial<ComplianceFacts> = {}): ComplianceFacts => ({
  tier: 1,
  registeredAt: '2025-06-01T00:00:00Z',
  lastAssessmentAt: '2026-03-01T00:00:00Z',
  lastAuditAt: '2026-02-15T00:00:00Z',
  lateReports: 0,
  missingReports: 0,
  overdueActions: 0,
  actionsDueSoon: 0,
  openFindings: 0,
  ...over,
});

describe('compliance status (hand-computed)', () => {
  it('is compliant when every obligation is current, and says why', () => {
    const r = evaluateCompliance(rules, facts(), now);
    expect(r.status).toBe('compliant');
    expect(r.facts.map((f) => f.text)).toEqual([
      'Last accepted assessment on 2026-03-01; next due 2027-03-01.',
      'Last external audit on 2026-02-15; next due 2027-02-15.',
      'Every incident report on time in the last 12 months.',
    ]);
  });

  it('counts tier 1 audits yearly and tier 3 audits every 36 months', () => {
    // Tier 1: audited 2025-11-01, due 2026-11-01: overdue on 28 November 2026.
    const t1 = evaluateCompliance(rules, facts({ lastAuditAt: '2025-11-01T00:00:00Z' }), now);
    expect(t1.status).toBe('non_compliant');
    expect(t1.facts[0]!.code).toBe('audit_overdue');
    expect(t1.facts[0]!.text).toContain('2026-11-01');
    // Tier 3 audited at the same time is not due until 2028-11-01.
    expect(
      evaluateCompliance(rules, facts({ tier: 3, lastAuditAt: '2025-11-01T00:00:00Z' }), now).status,
    ).toBe('compliant');
    // Not designated: no audit is owed at all.
    const none = evaluateCompliance(rules, facts({ tier: null, lastAuditAt: null }), now);
    expect(none.facts.some((f) => f.code.startsWith('audit'))).toBe(false);
  });

  it('is at risk within the due-soon window, counting a first obligation from registration', () => {
    // Assessment due 2026-12-20: within 30 days.
    const soon = evaluateCompliance(rules, facts({ lastAssessmentAt: '2025-12-20T00:00:00Z' }), now);
    expect(soon.status).toBe('at_risk');
    expect(soon.facts[0]!.code).toBe('assessment_due_soon');
    // Registered 15 December 2025 and never audited: the first tier 1 audit is due 15 December 2026.
    const first = evaluateCompliance(
      rules,
      facts({ registeredAt: '2025-12-15T00:00:00Z', lastAuditAt: null }),
      now,
    );
    expect(first.facts[0]!.text).toBe('The first external audit is due on 2026-12-15.');
    // Registered in June 2025 and never audited: overdue since June 2026.
    expect(evaluateCompliance(rules, facts({ lastAuditAt: null }), now).facts[0]!.text).toBe(
      'The external audit was due on 2026-06-01 (the first within 12 months of registration).',
    );
    // Registered last month: nothing is due yet.
    expect(
      evaluateCompliance(
        rules,
        facts({ registeredAt: '2026-10-01T00:00:00Z', lastAuditAt: null, lastAssessmentAt: null }),
        now,
      ).status,
    ).toBe('compliant');
  });

  it('weighs late and missing incident reports by the thresholds', () => {
    expect(evaluateCompliance(rules, facts({ lateReports: 1 }), now).status).toBe('at_risk');
    expect(evaluateCompliance(rules, facts({ lateReports: 2 }), now).status).toBe('at_risk');
    expect(evaluateCompliance(rules, facts({ lateReports: 3 }), now).status).toBe('non_compliant');
    expect(evaluateCompliance(rules, facts({ missingReports: 1 }), now).facts[0]).toMatchObject({
      level: 'non_compliant',
      text: '1 mandatory incident report not submitted in the last 12 months.',
    });
  });

  it('turns non-compliant as soon as one corrective action is past due', () => {
    expect(evaluateCompliance(rules, facts({ openFindings: 2, actionsDueSoon: 1 }), now).status).toBe(
      'at_risk',
    );
    const r = evaluateCompliance(rules, facts({ openFindings: 2, overdueActions: 1 }), now);
    expect(r.status).toBe('non_compliant');
    expect(r.facts[0]!.text).toBe('1 corrective action past due.');
  });

  it('clamps month arithmetic at the end of a month', () => {
    // Assessed 31 Jan 2026, every 12 months: due 31 Jan 2027, not yet due soon on 28 Nov 2026.
    expect(
      evaluateCompliance(rules, facts({ lastAssessmentAt: '2026-01-31T00:00:00Z' }), now).facts[0]!.text,
    ).toContain('2027-01-31');
    // Tier 3 every 24 months from 29 Feb 2024 falls due on 28 Feb 2026 (clamped): overdue.
    const r = evaluateCompliance(rules, facts({ tier: 3, lastAssessmentAt: '2024-02-29T00:00:00Z' }), now);
    expect(r.facts[0]!.text).toContain('2026-02-28');
  });
});
