import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  SEVERITY_COLOR,
  STATUS_COLOR,
  TLP_STYLE,
  isDutyStatus,
  isIncidentStatus,
  isSeverity,
  isTlp,
  type DutyStatus,
} from '../app/incidents';
import { useNow } from '../app/datetime';
import { useFormat } from '../i18n/format';
import { CodeBadge, DeadlineBadge, UnknownCode, type BadgeSize } from './CodeBadge';

type Size = BadgeSize;

export function SeverityBadge({ severity, size = 'sm' }: { severity: string; size?: Size }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={severity}
      known={isSeverity}
      color={SEVERITY_COLOR}
      label={(s) => t(`incidents.severities.${s}`)}
      variant={() => 'filled'}
      size={size}
    />
  );
}

/** "TLP:AMBER" in FIRST's colours; the label is never translated (it is a standard marking). */
export function TlpBadge({ tlp, size = 'sm' }: { tlp: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isTlp(tlp)) return <UnknownCode value={tlp} size={size} />;
  const s = TLP_STYLE[tlp];
  return (
    <Tooltip label={t(`incidents.tlpHints.${tlp}`)} multiline w={280}>
      <Badge
        size={size}
        radius="sm"
        className="qila-badge-fit qila-tlp"
        style={{ background: s.bg, color: s.fg, border: s.border ? `1px solid ${s.border}` : undefined }}
        lang="en"
        dir="ltr"
      >
        TLP:{tlp}
      </Badge>
    </Tooltip>
  );
}

export function IncidentStatusBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isIncidentStatus}
      color={STATUS_COLOR}
      label={(s) => t(`incidents.statuses.${s}`)}
      variant={(s) => (s === 'closed' ? 'outline' : 'light')}
      size={size}
    />
  );
}

const DUTY_COLOR: Record<DutyStatus, string> = {
  not_required: 'gray.7',
  waiting: 'gray.7',
  due: 'blue.8',
  overdue: 'red.8',
  met: 'qila.7',
  met_late: 'orange.8',
};

export function DutyStatusBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isDutyStatus}
      color={DUTY_COLOR}
      label={(s) => t(`duties.statuses.${s}`)}
      variant={(s) => (s === 'not_required' ? 'outline' : s === 'waiting' ? 'light' : 'filled')}
      size={size}
    />
  );
}

/** A report that came late or never came, on this incident. */
export function LateBadge({ size = 'sm' }: { size?: Size }) {
  const { t } = useTranslation();
  return (
    <DeadlineBadge variant="outline" size={size}>
      {t('incidents.lateFlag')}
    </DeadlineBadge>
  );
}

/** "3 h 20 min", "2 d 4 h": a length of time, coarser the longer it is. */
export function useDuration(): (ms: number) => string {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (ms) => {
    const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
    if (minutes < 60) return t('time.minutes', { n: fmt.number(minutes) });
    const hours = Math.floor(minutes / 60);
    if (hours < 10 && minutes % 60)
      return t('time.hoursMinutes', { h: fmt.number(hours), m: fmt.number(minutes % 60) });
    if (hours < 48) return t('time.hours', { h: fmt.number(hours) });
    return hours % 24
      ? t('time.daysHours', { d: fmt.number(Math.floor(hours / 24)), h: fmt.number(hours % 24) })
      : t('time.days', { d: fmt.number(hours / 24) });
  };
}

/** "in 5 h" or, in red, "overdue by 2 h"; moves on by itself every minute. */
export function Countdown({ dueAt, size = 'sm' }: { dueAt: string; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  const now = useNow();
  const duration = useDuration();
  const left = new Date(dueAt).getTime() - now;
  if (Number.isNaN(left)) return null;
  return left >= 0 ? (
    <Text component="span" size={size} fw={600} data-testid="countdown">
      {t('time.in', { d: duration(left) })}
    </Text>
  ) : (
    <Text component="span" size={size} fw={700} c="red.8" data-testid="countdown">
      {t('time.overdueBy', { d: duration(left) })}
    </Text>
  );
}
