import { Alert, Anchor, Grid, Group, Stack, Text } from '@mantine/core';
import { IconClockHour4, IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { useAudit, type Audit } from '../../app/supervision';
import { Countdown } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { TierBadge } from '../../components/RegistryBadges';
import { Section } from '../../components/Section';
import { AuditStatusBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';
import { AddFindingForm } from './AddFindingForm';
import { AssignAuditorCard } from './AssignAuditorCard';
import { AuditProgressCard } from './AuditProgressCard';
import { AuditStepper } from './AuditStepper';
import { ChecklistCard } from './ChecklistCard';
import { FindingsCard } from './FindingsCard';
import { RecordPage } from './LoadState';

/** The audit workspace: one page for the regulator, the lead auditor and the entity, each doing their part. */
export function AuditPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const audit = useAudit(id);
  return (
    <RecordPage
      query={audit}
      back={{ to: '/supervision/audits', label: t('supervision.audits.back') }}
      texts={{
        loadFailed: t('supervision.audits.loadOneFailed'),
        notFoundTitle: t('supervision.audits.notFoundTitle'),
        notFound: t('supervision.audits.notFound'),
      }}
    >
      {(record) => <Workspace audit={record} />}
    </RecordPage>
  );
}

function Workspace({ audit: a }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const { can } = useAuth();
  const may = (x: string) => a.allowedActions.includes(x);
  const awaitingEntity = a.status === 'preliminary_issued' && a.responseDueAt;
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.audits.heading', { reference: a.reference })}
        documentTitle={a.reference}
        description={
          <Group gap="xs" component="span" wrap="wrap">
            {can('supervision.read') && !can('supervision.audit') ? (
              <Anchor component={Link} to={`/supervision/entities/${a.entityId}`} size="sm" fw={600}>
                <span lang="en" dir="auto">
                  {a.entityName}
                </span>
              </Anchor>
            ) : (
              <Text span size="sm" fw={600} lang="en" dir="auto">
                {a.entityName}
              </Text>
            )}
            <span>{names.sector(a.sector)}</span>
            <TierBadge tier={a.ciiTier} />
            <AuditStatusBadge status={a.status} size="lg" />
          </Group>
        }
      />
      <AuditStepper audit={a} />
      {awaitingEntity && (
        <Alert
          color={may('respond') ? 'orange' : 'blue'}
          variant="light"
          icon={<IconClockHour4 aria-hidden />}
          data-testid="response-due"
        >
          <Text size="sm">
            {may('respond') ? t('supervision.audits.respondBy') : t('supervision.audits.entityRespondsBy')}{' '}
            <b>{fmt.dateTime(a.responseDueAt!)}</b> · <Countdown dueAt={a.responseDueAt!} />
          </Text>
        </Alert>
      )}
      {a.status === 'planned' && !a.leadAuditor && !may('assign') && (
        <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {t('supervision.audits.awaitingAssignment')}
        </Alert>
      )}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            {may('assign') && <AssignAuditorCard audit={a} />}
            {(a.findings.length > 0 || a.status !== 'planned') && <FindingsCard audit={a} />}
            {may('finding') && <AddFindingForm audit={a} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <AuditProgressCard audit={a} />
            <AboutAudit audit={a} />
          </Stack>
        </Grid.Col>
      </Grid>
      {/* Full width: the requirement, its result and the note side by side. */}
      <ChecklistCard audit={a} />
    </Stack>
  );
}

function AboutAudit({ audit: a }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const row = (label: string, value: ReactNode) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {value}
      </Text>
    </Stack>
  );
  return (
    <Section id="about-audit" title={t('supervision.audits.about')}>
      <Stack gap="xs">
        {row(
          t('supervision.audits.leadAuditor'),
          a.leadAuditor ? (
            <span data-testid="lead-auditor">
              {a.leadAuditor.name} · {a.leadAuditor.firm}
            </span>
          ) : (
            t('supervision.audits.unassigned')
          ),
        )}
        {row(t('supervision.plans.framework'), <span className="qila-code">{a.frameworkId}</span>)}
        {row(
          t('supervision.audits.scope'),
          a.scope.requirements.length
            ? t('supervision.audits.scopeSome', { count: a.scope.requirements.length })
            : t('supervision.audits.scopeAll'),
        )}
        {row(t('supervision.audits.responseDays'), t('supervision.audits.days', { count: a.responseDays }))}
        {a.finalSummary &&
          row(
            t('supervision.audits.finalSummary'),
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
              {a.finalSummary}
            </Text>,
          )}
        {a.closedAt && row(t('supervision.audits.closedAt'), fmt.dateTime(a.closedAt))}
        {a.planId && can('supervision.plan') && (
          <Anchor component={Link} to={`/supervision/plans/${a.planId}`} size="sm">
            {t('supervision.audits.plan')}
          </Anchor>
        )}
      </Stack>
    </Section>
  );
}
