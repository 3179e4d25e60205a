import type { SupervisionRules } from './obligations.ts';
import { tierKey } from './obligations.ts';

/** What is known about one entity on the day its compliance is computed. */
export interface ComplianceFacts {
  tier: number | null;
  /** When the entity entered the register: the first assessment and audit fall due from here. */
  registeredAt: string;
  lastAssessmentAt: string | null;
  lastAuditAt: string | null;
  lateReports: number;
  missingReports: number;
  overdueActions: number;
  actionsDueSoon: number;
  openFindings: number;
}

export type ComplianceLevel = 'non_compliant' | 'at_risk' | 'ok';
export type ComplianceStatus = 'compliant' | 'at_risk' | 'non_compliant';
export interface ComplianceFact {
  code: string;
  level: ComplianceLevel;
  text: string;
}

const DAY = 86_400_000;

function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const t = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes()),
  );
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last));
  return t;
}
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Compliance from facts: the worst level of any fact decides. Every fact is listed, including the
 * ones in order, so the entity and its regulator see why.
 */
export function evaluateCompliance(
  rules: SupervisionRules,
  f: ComplianceFacts,
  now: Date,
): { status: ComplianceStatus; facts: ComplianceFact[] } {
  const owes = rules.obligations[tierKey(f.tier)];
  const facts: ComplianceFact[] = [];
  const periodic = (code: string, what: string, every: number | null, last: string | null) => {
    if (every === null) return;
    const due = addMonths(last ?? f.registeredAt, every);
    const since = last
      ? `every ${every} months; last on ${last.slice(0, 10)}`
      : `the first within ${every} months of registration`;
    if (due < now)
      facts.push({
        code: `${code}_overdue`,
        level: 'non_compliant',
        text: `The ${what} was due on ${day(due)} (${since}).`,
      });
    else if (due.getTime() - now.getTime() <= rules.dueSoonDays * DAY)
      facts.push({
        code: `${code}_due_soon`,
        level: 'at_risk',
        text: `The ${last ? 'next' : 'first'} ${what} is due on ${day(due)}.`,
      });
    else
      facts.push({
        code: `${code}_current`,
        level: 'ok',
        text: last
          ? `Last ${what} on ${last.slice(0, 10)}; next due ${day(due)}.`
          : `No ${what} yet; the first is due by ${day(due)}.`,
      });
  };
  periodic('assessment', 'accepted assessment', owes.assessmentEveryMonths, f.lastAssessmentAt);
  periodic('audit', 'external audit', owes.auditEveryMonths, f.lastAuditAt);

  const ir = rules.incidentReporting;
  const window = `in the last ${ir.windowMonths} months`;
  if (f.missingReports >= ir.missingNonCompliant)
    facts.push({
      code: 'reports_missing',
      level: 'non_compliant',
      text: `${f.missingReports} mandatory incident report${f.missingReports === 1 ? '' : 's'} not submitted ${window}.`,
    });
  if (f.lateReports >= ir.lateNonCompliant)
    facts.push({
      code: 'reports_late',
      level: 'non_compliant',
      text: `${f.lateReports} incident reports submitted late ${window}.`,
    });
  else if (f.lateReports >= ir.lateAtRisk)
    facts.push({
      code: 'reports_late',
      level: 'at_risk',
      text: `${f.lateReports} incident report${f.lateReports === 1 ? '' : 's'} submitted late ${window}.`,
    });
  if (!f.missingReports && !f.lateReports)
    facts.push({ code: 'reports_on_time', level: 'ok', text: `Every incident report on time ${window}.` });

  if (f.overdueActions)
    facts.push({
      code: 'actions_overdue',
      level: 'non_compliant',
      text: `${f.overdueActions} corrective action${f.overdueActions === 1 ? '' : 's'} past due.`,
    });
  if (f.actionsDueSoon)
    facts.push({
      code: 'actions_due_soon',
      level: 'at_risk',
      text: `${f.actionsDueSoon} corrective action${f.actionsDueSoon === 1 ? '' : 's'} due within ${rules.correctiveActions.dueSoonDays} days.`,
    });
  if (f.openFindings && !f.overdueActions && !f.actionsDueSoon)
    facts.push({
      code: 'findings_open',
      level: 'ok',
      text: `${f.openFindings} audit finding${f.openFindings === 1 ? '' : 's'} open, corrective actions on schedule.`,
    });

  const status: ComplianceStatus = facts.some((x) => x.level === 'non_compliant')
    ? 'non_compliant'
    : facts.some((x) => x.level === 'at_risk')
      ? 'at_risk'
      : 'compliant';
  const order = { non_compliant: 0, at_risk: 1, ok: 2 };
  return { status, facts: facts.sort((a, b) => order[a.level] - order[b.level]) };
}
