import { Badge, Text, Tooltip, type BadgeProps } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
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

type Size = BadgeProps['size'];

function Unknown({ value, size }: { value: string; size: Size }) {
  return (
    <Badge color="gray.7" variant="outline" size={size} className="qila-badge-fit">
      {value}
    </Badge>
  );
}

export function SeverityBadge({ severity, size = 'sm' }: { severity: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isSeverity(severity)) return <Unknown value={severity} size={size} />;
  return (
    <Badge color={SEVERITY_COLOR[severity]} autoContrast size={size} className="qila-badge-fit">
      {t(`incidents.severities.${severity}`)}
    </Badge>
  );
}

/** "TLP:AMBER" in FIRST's colours; the label is never translated (it is a standard marking). */
export function TlpBadge({ tlp, size = 'sm' }: { tlp: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isTlp(tlp)) return <Unknown value={tlp} size={size} />;
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
  if (!isIncidentStatus(status)) return <Unknown value={status} size={size} />;
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant={status === 'closed' ? 'outline' : 'light'}
      size={size}
      className="qila-badge-fit"
    >
      {t(`incidents.statuses.${status}`)}
    </Badge>
  );
}

const DUTY_STYLE: Record<DutyStatus, { color: string; variant: BadgeProps['variant'] }> = {
  not_required: { color: 'gray.7', variant: 'outline' },
  waiting: { color: 'gray.7', variant: 'light' },
  due: { color: 'blue.8', variant: 'filled' },
  overdue: { color: 'red.8', variant: 'filled' },
  met: { color: 'qila.7', variant: 'filled' },
  met_late: { color: 'orange.8', variant: 'filled' },
};

export function DutyStatusBadge({ status, size = 'sm' }: { status: string; size?: Size }) {
  const { t } = useTranslation();
  if (!isDutyStatus(status)) return <Unknown value={status} size={size} />;
  const s = DUTY_STYLE[status];
  return (
    <Badge color={s.color} variant={s.variant} size={size} className="qila-badge-fit">
      {t(`duties.statuses.${status}`)}
    </Badge>
  );
}

/** A report that came late or never came, on this incident. */
export function LateBadge({ size = 'sm' }: { size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      color="red.8"
      variant="outline"
      size={size}
      className="qila-badge-fit"
      leftSection={<IconClockExclamation size={12} aria-hidden />}
    >
      {t('incidents.lateFlag')}
    </Badge>
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
