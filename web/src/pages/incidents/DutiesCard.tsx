import { Badge, Box, Button, Group, Stack, Text } from '@mantine/core';
import { IconClipboardCheck, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIncidentNames } from '../../app/incidentNames';
import {
  OPEN_DUTY,
  isDutyStatus,
  isStageKind,
  type Duty,
  type Incident,
  type StageKind,
} from '../../app/incidents';
import { Countdown, DutyStatusBadge } from '../../components/IncidentBadges';
import { EmptyState } from '../../components/EmptyState';
import { LegalStatusBadge } from '../../components/LegalStatusBadge';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { StageReportModal } from './StageReportModal';

const isOpen = (d: Duty) => isDutyStatus(d.status) && OPEN_DUTY.includes(d.status);

/** The report to send next: the open duty with the nearest deadline, else one waiting its turn. */
export function nextDuty(duties: Duty[]): Duty | null {
  const open = duties.filter(isOpen);
  const timed = open.filter((d) => d.dueAt).sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
  return timed[0] ?? open[0] ?? null;
}

/** Duties grouped by regime, in the order the server gives them. */
function byRegime(duties: Duty[]): Duty[][] {
  const groups = new Map<string, Duty[]>();
  for (const d of duties) groups.set(d.regime, [...(groups.get(d.regime) ?? []), d]);
  return [...groups.values()];
}

/**
 * The heart of an incident for the reporting entity: every statutory report, to whom, by when
 * (with a live countdown), and a clear way to send the next one.
 */
export function DutiesCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const [reporting, setReporting] = useState<StageKind | null>(null);
  const mayReport = incident.allowedActions.includes('report');
  const next = nextDuty(incident.duties);
  const nextKind = next && isStageKind(next.kind) ? next.kind : null;

  return (
    <Section
      id="duties"
      title={t('duties.title')}
      description={t('duties.description')}
      actions={
        mayReport &&
        (nextKind ? (
          <Button leftSection={<IconSend size={16} aria-hidden />} onClick={() => setReporting(nextKind)}>
            {t(`duties.submit.${nextKind}`)}
          </Button>
        ) : (
          <Button variant="default" onClick={() => setReporting('intermediate')}>
            {t('duties.sendUpdate')}
          </Button>
        ))
      }
    >
      {incident.duties.length === 0 ? (
        <EmptyState
          icon={<IconClipboardCheck size={26} />}
          title={t('duties.noneTitle')}
          description={t('duties.noneBody')}
        />
      ) : (
        <Stack gap="md" data-testid="duties">
          {byRegime(incident.duties).map((group) => (
            <RegimeDuties key={group[0]!.regime} duties={group} />
          ))}
        </Stack>
      )}
      {mayReport && (
        <StageReportModal
          incident={incident}
          stage={reporting}
          onStage={setReporting}
          onClose={() => setReporting(null)}
        />
      )}
    </Section>
  );
}

function RegimeDuties({ duties }: { duties: Duty[] }) {
  const first = duties[0]!;
  return (
    <Box
      component="section"
      aria-label={first.regimeName}
      style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}
      data-testid="regime"
    >
      <Group
        justify="space-between"
        gap="xs"
        px="md"
        py="xs"
        wrap="nowrap"
        style={{
          background: 'var(--mantine-color-gray-0)',
          borderBottom: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={700} size="sm" lang="en" dir="auto">
            {first.regimeName}
          </Text>
          <LegalStatusBadge legalStatus={first.legalStatus} size="xs" />
        </Stack>
        <Badge variant="outline" color="gray.7" className="qila-badge-fit" lang="en" dir="auto">
          {first.authority}
        </Badge>
      </Group>
      <Stack gap={0} className="qila-duties">
        {duties.map((d, i) => (
          <DutyRow key={d.id} duty={d} siblings={duties} first={i === 0} />
        ))}
      </Stack>
    </Box>
  );
}

function DutyRow({ duty: d, siblings, first }: { duty: Duty; siblings: Duty[]; first: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useIncidentNames();
  const waitingFor = d.waitingOn ? siblings.find((s) => s.stage === d.waitingOn) : undefined;
  const open = d.status === 'due' || d.status === 'overdue';
  return (
    <Group
      justify="space-between"
      align="flex-start"
      gap="sm"
      px="md"
      py="sm"
      wrap="wrap"
      style={first ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="duty"
      data-stage={d.kind}
      data-status={d.status}
    >
      <Stack gap={2} style={{ flex: '1 1 260px', minWidth: 0 }}>
        <Text fw={600}>{names.stage(d)}</Text>
        {d.status === 'waiting' && (
          <Text size="sm">
            {t('duties.waitingFor', {
              stage: waitingFor ? names.stage(waitingFor) : (d.waitingOn ?? '').replace('_', ' '),
            })}
          </Text>
        )}
        {d.status !== 'not_required' && (
          <Text size="xs" c="dimmed" lang="en" dir="auto">
            {d.basis}
          </Text>
        )}
      </Stack>
      <Stack gap={4} className="qila-duty-status">
        <DutyStatusBadge status={d.status} />
        {d.dueAt && <Text size="sm">{t('duties.dueAt', { at: fmt.dateTime(d.dueAt) })}</Text>}
        {open && d.dueAt && <Countdown dueAt={d.dueAt} />}
        {d.metAt && (
          <Text size="sm" c="dimmed">
            {t('duties.metAt', { at: fmt.dateTime(d.metAt) })}
          </Text>
        )}
      </Stack>
    </Group>
  );
}
