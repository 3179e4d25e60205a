import { Badge, type BadgeProps } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
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

type Size = BadgeProps['size'];

function Unknown({ value, size }: { value: string; size: Size }) {
  return (
    <Badge color="gray.7" variant="outline" size={size} className="qila-badge-fit">
      {value}
    </Badge>
  );
}

export function ComplianceBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isComplianceStatus(status)) return <Unknown value={status} size={size} />;
  return (
    <Badge
      color={COMPLIANCE_COLOR[status]}
      size={size}
      className="qila-badge-fit"
      data-testid="compliance-badge"
      data-status={status}
    >
      {t(`supervision.statuses.${status}`)}
    </Badge>
  );
}

export function AuditStatusBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isAuditStatus(status)) return <Unknown value={status} size={size} />;
  return (
    <Badge
      color={AUDIT_STATUS_COLOR[status]}
      variant={status === 'closed' ? 'outline' : 'light'}
      size={size}
      className="qila-badge-fit"
      data-testid="audit-status"
      data-status={status}
    >
      {t(`supervision.auditStatuses.${status}`)}
    </Badge>
  );
}

export function CheckResultBadge({ result, size = 'sm' }: { result: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isCheckResult(result)) return <Unknown value={result} size={size} />;
  return (
    <Badge
      color={CHECK_RESULT_COLOR[result]}
      variant={result === 'not_tested' || result === 'not_applicable' ? 'outline' : 'light'}
      size={size}
      className="qila-badge-fit"
    >
      {t(`supervision.results.${result}`)}
    </Badge>
  );
}

export function ActionStatusBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isActionStatus(status)) return <Unknown value={status} size={size} />;
  return (
    <Badge
      color={ACTION_STATUS_COLOR[status]}
      variant={status === 'verified' ? 'filled' : 'light'}
      size={size}
      className="qila-badge-fit"
      data-testid="action-status"
      data-status={status}
    >
      {t(`supervision.actionStatuses.${status}`)}
    </Badge>
  );
}

/** A corrective action whose due date has passed. */
export function PastDueBadge({ size = 'sm' }: { size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      color="red.8"
      size={size}
      className="qila-badge-fit"
      leftSection={<IconClockExclamation size={12} aria-hidden />}
    >
      {t('supervision.pastDue')}
    </Badge>
  );
}

export function CaseStageBadge({ stage, size = 'sm' }: { stage: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isCaseStage(stage)) return <Unknown value={stage} size={size} />;
  return (
    <Badge
      color={CASE_STAGE_COLOR[stage]}
      variant={stage === 'closed' ? 'outline' : 'light'}
      size={size}
      className="qila-badge-fit"
      data-testid="case-stage"
      data-stage={stage}
    >
      {t(`supervision.caseStages.${stage}`)}
    </Badge>
  );
}
