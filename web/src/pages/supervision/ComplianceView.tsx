import { Anchor, Button, Grid, Group, List, Stack, Table, Text } from '@mantine/core';
import { IconGavel } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { FACT_VIOLATION, type EntityCompliance } from '../../app/supervision';
import { Countdown, SeverityBadge } from '../../components/IncidentBadges';
import { TierBadge } from '../../components/RegistryBadges';
import { LegalStatusBadge } from '../../components/LegalStatusBadge';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { ActionStatusBadge, AuditStatusBadge, CaseStageBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';
import { ActionDue, MilestoneCount } from './ActionDue';
import { ComplianceStatusCard } from './ComplianceStatusCard';
import { useSupervisionNames } from './names';

/** An entity's compliance page: its status and why, what it owes, and the open supervision work. */
export function ComplianceView({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const names = useNames();
  // The Authority takes an entity that is not compliant to enforcement from here.
  const mayEnforce = can('enforcement.manage') && c.facts.some((f) => f.level === 'non_compliant');
  return (
    <Stack gap="lg">
      <PageHeader
        title={c.entityName}
        documentTitle={t('supervision.compliance.documentTitle', { name: c.entityName })}
        description={
          <Group gap="xs" component="span" wrap="wrap">
            <span>{names.sector(c.sector)}</span>
            <TierBadge tier={c.ciiTier} />
            {can('entities.read') && (
              <Anchor component={Link} to={`/registry/${c.entityId}`} size="sm">
                {t('supervision.compliance.registryRecord')}
              </Anchor>
            )}
          </Group>
        }
        actions={
          mayEnforce && (
            <Button
              component={Link}
              to={`/supervision/cases/new?entity=${c.entityId}`}
              color="red.8"
              leftSection={<IconGavel size={16} aria-hidden />}
            >
              {t('supervision.cases.openFromCompliance')}
            </Button>
          )
        }
      />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <ComplianceStatusCard
              compliance={c}
              caseFor={
                mayEnforce
                  ? (code) =>
                      FACT_VIOLATION[code] ? `/supervision/cases/new?entity=${c.entityId}&fact=${code}` : null
                  : undefined
              }
            />
            <FindingsSection compliance={c} />
            <ActionsSection compliance={c} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <OwesSection compliance={c} />
            <AuditsSection compliance={c} />
            <CasesSection compliance={c} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function OwesSection({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const every = (months: number | null) =>
    months === null
      ? t('supervision.owes.notRequired')
      : t('supervision.owes.everyMonths', { count: months, formatted: fmt.number(months) });
  return (
    <Section id="owes" title={t('supervision.owes.title')} description={t('supervision.owes.description')}>
      <List spacing={6} size="sm">
        <List.Item>
          <Text span size="sm" fw={600}>
            {t('supervision.owes.assessment')}
          </Text>{' '}
          {every(c.obligations.assessmentEveryMonths)}
        </List.Item>
        <List.Item>
          <Text span size="sm" fw={600}>
            {t('supervision.owes.audit')}
          </Text>{' '}
          {every(c.obligations.auditEveryMonths)}
        </List.Item>
        <List.Item>{t('supervision.owes.incidents')}</List.Item>
        <List.Item>{t('supervision.owes.actions')}</List.Item>
      </List>
      <Stack gap={4} mt="sm">
        <LegalStatusBadge legalStatus={c.legalStatus} />
        {!c.legalStatus.binding && (
          <Text size="xs" c="dimmed">
            {t('legalStatus.notLaw')}
          </Text>
        )}
      </Stack>
    </Section>
  );
}

function FindingsSection({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  return (
    <Section
      id="open-findings"
      title={t('supervision.compliance.openFindings')}
      description={t('supervision.compliance.openFindingsHint')}
    >
      {c.openFindings.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.compliance.noFindings')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {c.openFindings.map((f) => (
            <Group key={f.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <SeverityBadge severity={f.severity} />
                <Text size="sm" dir="auto" lineClamp={2}>
                  {f.title}
                </Text>
              </Group>
              <Anchor
                component={Link}
                to={`/supervision/audits/${f.auditId}`}
                size="sm"
                className="qila-code"
              >
                {f.auditReference}
              </Anchor>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function ActionsSection({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  return (
    <Section
      id="corrective-actions"
      title={t('supervision.compliance.actions')}
      description={t('supervision.compliance.actionsHint')}
      actions={
        <Anchor component={Link} to={`/supervision/actions?entity=${c.entityId}`} size="sm">
          {t('supervision.compliance.allActions')}
        </Anchor>
      }
    >
      {c.actions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.compliance.noActions')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" verticalSpacing={8} data-testid="compliance-actions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('supervision.actions.title')}</Table.Th>
                <Table.Th scope="col">{t('supervision.actions.owner')}</Table.Th>
                <Table.Th scope="col">{t('supervision.actions.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('supervision.actions.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Text size="sm" dir="auto">
                      {a.title}
                    </Text>
                    <MilestoneCount milestones={a.milestones} />
                  </Table.Td>
                  <Table.Td>
                    <span dir="auto">{a.owner}</span>
                  </Table.Td>
                  <Table.Td>
                    <ActionDue action={a} />
                  </Table.Td>
                  <Table.Td>
                    <ActionStatusBadge status={a.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function AuditsSection({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Section id="audits" title={t('supervision.compliance.audits')}>
      {c.audits.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.compliance.noAudits')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {c.audits.map((a) => (
            <Stack key={a.id} component="li" gap={2}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Anchor
                  component={Link}
                  to={`/supervision/audits/${a.id}`}
                  fw={700}
                  size="sm"
                  className="qila-code"
                >
                  {a.reference}
                </Anchor>
                <AuditStatusBadge status={a.status} />
              </Group>
              {a.status === 'preliminary_issued' && a.responseDueAt && (
                <Text size="xs" c="dimmed">
                  {t('supervision.audits.responseDue')} <Countdown dueAt={a.responseDueAt} size="xs" />
                </Text>
              )}
              {a.finalIssuedAt && (
                <Text size="xs" c="dimmed">
                  {t('supervision.audits.finalOn', { at: fmt.dateTime(a.finalIssuedAt) })}
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function CasesSection({ compliance: c }: { compliance: EntityCompliance }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useSupervisionNames();
  return (
    <Section id="cases" title={t('supervision.compliance.cases')}>
      {c.cases.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.compliance.noCases')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {c.cases.map((k) => (
            <Stack key={k.id} component="li" gap={2}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Anchor
                  component={Link}
                  to={`/supervision/cases/${k.id}`}
                  fw={700}
                  size="sm"
                  className="qila-code"
                >
                  {k.reference}
                </Anchor>
                <CaseStageBadge stage={k.stage} />
              </Group>
              <Text size="xs">{names.violation(k.violation)}</Text>
              {k.nextDeadline && (
                <Text size="xs" c="dimmed">
                  {t('supervision.cases.nextDeadline', { at: fmt.dateTime(k.nextDeadline) })}
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}
