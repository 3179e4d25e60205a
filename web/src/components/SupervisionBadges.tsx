import { useTranslation } from 'react-i18next';
import {
  ACTION_STATUS_COLOR,
  AUDIT_STATUS_COLOR,
  CASE_STAGE_COLOR,
  CHECK_RESULT_COLOR,
  COMPLIANCE_COLOR,
  isActionStatus,
  isAuditStatus,
  isCaseStage,
  isCheckResult,
  isComplianceStatus,
} from '../app/supervision';
import { CodeBadge, DeadlineBadge, type BadgeSize } from './CodeBadge';

export function ComplianceBadge({ status, size = 'sm' }: { status: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isComplianceStatus}
      color={COMPLIANCE_COLOR}
      label={(s) => t(`supervision.statuses.${s}`)}
      variant={() => 'filled'}
      size={size}
      testId="compliance-badge"
    />
  );
}

export function AuditStatusBadge({ status, size = 'sm' }: { status: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isAuditStatus}
      color={AUDIT_STATUS_COLOR}
      label={(s) => t(`supervision.auditStatuses.${s}`)}
      variant={(s) => (s === 'closed' ? 'outline' : 'light')}
      size={size}
      testId="audit-status"
    />
  );
}

export function CheckResultBadge({ result, size = 'sm' }: { result: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={result}
      known={isCheckResult}
      color={CHECK_RESULT_COLOR}
      label={(r) => t(`supervision.results.${r}`)}
      variant={(r) => (r === 'not_tested' || r === 'not_applicable' ? 'outline' : 'light')}
      size={size}
    />
  );
}

export function ActionStatusBadge({ status, size = 'sm' }: { status: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isActionStatus}
      color={ACTION_STATUS_COLOR}
      label={(s) => t(`supervision.actionStatuses.${s}`)}
      variant={(s) => (s === 'verified' ? 'filled' : 'light')}
      size={size}
      testId="action-status"
    />
  );
}

/** A corrective action whose due date has passed. */
export function PastDueBadge({ size = 'sm' }: { size?: BadgeSize }) {
  const { t } = useTranslation();
  return <DeadlineBadge size={size}>{t('supervision.pastDue')}</DeadlineBadge>;
}

export function CaseStageBadge({ stage, size = 'sm' }: { stage: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={stage}
      known={isCaseStage}
      color={CASE_STAGE_COLOR}
      label={(s) => t(`supervision.caseStages.${s}`)}
      variant={(s) => (s === 'closed' ? 'outline' : 'light')}
      size={size}
      testId="case-stage"
      attribute="stage"
    />
  );
}
