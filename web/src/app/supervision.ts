import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, unwrap, type ApiResponse } from '../api/client';
import type { paths } from '../api/schema';
import { useAuth } from './auth';

export type EntityCompliance = ApiResponse<'/api/supervision/entities/{id}/compliance'>;
export type ComplianceFact = EntityCompliance['facts'][number];
export type Board = ApiResponse<'/api/supervision/board'>;
export type NationalCompliance = ApiResponse<'/api/supervision/national'>;
export type AuditorsList = ApiResponse<'/api/supervision/auditors'>;
export type Auditor = AuditorsList['auditors'][number];
export type Plan = ApiResponse<'/api/supervision/plans/{id}'>;
export type PlanItem = Plan['items'][number];
export type Audit = ApiResponse<'/api/supervision/audits/{id}'>;
export type ChecklistItem = Audit['checklist'][number];
export type Finding = Audit['findings'][number];
export type CorrectiveAction = Finding['actions'][number];
export type ActionListItem = ApiResponse<'/api/supervision/actions'>[number];
export type EnforcementCase = ApiResponse<'/api/supervision/cases/{id}'>;
export type CaseStepInput =
  paths['/api/supervision/cases/{id}/steps']['post']['requestBody']['content']['application/json'];

const oneOf =
  <T extends string>(list: readonly T[]) =>
  (v: string | null | undefined): v is T =>
    (list as readonly string[]).includes(v ?? '');

// Words carry the meaning everywhere; the colour only repeats it.
export const COMPLIANCE_STATUSES = ['compliant', 'at_risk', 'non_compliant'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];
export const isComplianceStatus = oneOf(COMPLIANCE_STATUSES);
export const COMPLIANCE_COLOR: Record<ComplianceStatus, string> = {
  compliant: 'qila.7',
  at_risk: 'orange.7',
  non_compliant: 'red.8',
};
/** The same colours for facts: a fact at "ok" level is what keeps an entity compliant. */
export const FACT_LEVEL_STATUS: Record<ComplianceFact['level'], ComplianceStatus> = {
  ok: 'compliant',
  at_risk: 'at_risk',
  non_compliant: 'non_compliant',
};

/** The facts the compliance rules produce, by code (their text comes from the server in English). */
export const FACT_CODES = [
  'assessment_overdue',
  'assessment_due_soon',
  'assessment_current',
  'audit_overdue',
  'audit_due_soon',
  'audit_current',
  'reports_missing',
  'reports_late',
  'reports_on_time',
  'actions_overdue',
  'actions_due_soon',
  'findings_open',
] as const;
export const isFactCode = oneOf(FACT_CODES);

/** The violation of the penalty schedule that a non-compliance fact points to. */
export const FACT_VIOLATION: Partial<Record<string, string>> = {
  actions_overdue: 'overdue_corrective_action',
  reports_missing: 'missing_incident_report',
  reports_late: 'late_incident_report',
  assessment_overdue: 'assessment_not_submitted',
};

export const VIOLATIONS = [
  'late_incident_report',
  'missing_incident_report',
  'overdue_corrective_action',
  'audit_obstruction',
  'assessment_not_submitted',
] as const;
export const isViolation = oneOf(VIOLATIONS);
export const FACTORS = [
  'repeat',
  'duration',
  'damage',
  'intent',
  'negligence',
  'binding_instruction_ignored',
  'cooperation',
  'self_reporting',
  'remediation',
  'code_or_certification',
] as const;
export const isFactor = oneOf(FACTORS);

/** An audit's life, in order; "entity responded" is skipped when the response period lapses. */
export const AUDIT_STATUSES = [
  'planned',
  'fieldwork',
  'preliminary_issued',
  'entity_responded',
  'final_issued',
  'closed',
] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export const isAuditStatus = oneOf(AUDIT_STATUSES);
export const AUDIT_STATUS_COLOR: Record<AuditStatus, string> = {
  planned: 'gray.7',
  fieldwork: 'blue.7',
  preliminary_issued: 'violet.7',
  entity_responded: 'indigo.7',
  final_issued: 'teal.8',
  closed: 'qila.7',
};

export const CHECK_RESULTS = ['not_tested', 'conforms', 'minor_gap', 'major_gap', 'not_applicable'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
export const isCheckResult = oneOf(CHECK_RESULTS);
export const CHECK_RESULT_COLOR: Record<CheckResult, string> = {
  not_tested: 'gray.7',
  conforms: 'qila.7',
  minor_gap: 'orange.7',
  major_gap: 'red.8',
  not_applicable: 'gray.6',
};

export const ACTION_STATUSES = ['open', 'in_progress', 'submitted', 'verified', 'rejected'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const isActionStatus = oneOf(ACTION_STATUSES);
export const ACTION_STATUS_COLOR: Record<ActionStatus, string> = {
  open: 'gray.7',
  in_progress: 'blue.7',
  submitted: 'violet.7',
  verified: 'qila.7',
  rejected: 'red.8',
};

export const CASE_STAGES = [
  'opened',
  'notice',
  'responded',
  'hearing',
  'decided',
  'appealed',
  'appeal_decided',
  'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const isCaseStage = oneOf(CASE_STAGES);
export const CASE_STAGE_COLOR: Record<CaseStage, string> = {
  opened: 'gray.7',
  notice: 'orange.8',
  responded: 'blue.7',
  hearing: 'violet.7',
  decided: 'red.8',
  appealed: 'grape.7',
  appeal_decided: 'indigo.7',
  closed: 'qila.7',
};
export const CASE_STEPS = [
  'notice',
  'response',
  'hearing',
  'decision',
  'appeal',
  'appeal_decision',
  'close',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
export const isCaseStep = oneOf(CASE_STEPS);
/** Each event of a case file: its opening and every step taken since. */
export const CASE_EVENTS = ['opened', ...CASE_STEPS] as const;
export const isCaseEvent = oneOf(CASE_EVENTS);
export const DECISION_OUTCOMES = ['penalty', 'warning', 'dismissed'] as const;
export const APPEAL_OUTCOMES = ['upheld', 'reduced', 'quashed'] as const;

export const supervisionKey = ['supervision'] as const;
export const complianceKey = (entityId: string) => ['supervision', 'compliance', entityId] as const;
export const auditKey = (id: string) => ['supervision', 'audit', id] as const;
export const planKey = (id: string) => ['supervision', 'plan', id] as const;
export const caseKey = (id: string) => ['supervision', 'case', id] as const;
export const auditorsKey = ['supervision', 'auditors'] as const;

export function useCompliance(entityId: string) {
  return useQuery({
    queryKey: complianceKey(entityId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/supervision/entities/{id}/compliance', { params: { path: { id: entityId } }, signal }),
      ),
  });
}

export function useAudit(id: string) {
  return useQuery({
    queryKey: auditKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/supervision/audits/{id}', { params: { path: { id } }, signal })),
  });
}

export function useAuditors(enabled = true) {
  return useQuery({
    queryKey: auditorsKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/supervision/auditors', { signal })),
    enabled,
  });
}

/**
 * An audit firm's name for pages that show other people's roles. Only those who manage
 * supervision may read the firms; for everyone else the lookup answers null.
 */
export function useAuditFirmName(wanted: boolean): (id: string) => string | null {
  const { can } = useAuth();
  const auditors = useAuditors(wanted && can('supervision.manage'));
  const firms = auditors.data?.firms;
  return useCallback((id: string) => firms?.find((f) => f.id === id)?.name ?? null, [firms]);
}

/** The violations and factors of the penalty schedule in force on a day (YYYY-MM-DD). */
export function usePenaltySchedule(on: string) {
  return useQuery({
    queryKey: ['supervision', 'penalty-schedule', on],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/supervision/penalty-schedule', { params: { query: { on } }, signal })),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(on),
    staleTime: 60 * 60_000,
  });
}

/** Today as YYYY-MM-DD in the browser's time zone (date inputs and due dates are calendar days). */
export function today(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day after a YYYY-MM-DD date. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A corrective action is late when the sweep flagged it, or its due day has passed. */
export const isLate = (a: Pick<CorrectiveAction, 'overdue' | 'dueOn' | 'status'>) =>
  a.status !== 'verified' && (a.overdue || a.dueOn < today());
