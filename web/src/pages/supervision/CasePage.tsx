import { Anchor, Grid, Group, List, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { caseKey, type EnforcementCase } from '../../app/supervision';
import { Countdown } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { CaseStageBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';
import { CaseStepCard } from './CaseStepForm';
import { CaseTimeline } from './CaseTimeline';
import { RecordPage } from './LoadState';
import { useSupervisionNames } from './names';
import { PenaltyCard } from './PenaltyCard';

/** One enforcement case: the facts, the file of steps, the decision and the next step. */
export function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/supervision/cases/{id}', { params: { path: { id } }, signal })),
  });
  return (
    <RecordPage
      query={query}
      back={{ to: '/supervision/cases', label: t('supervision.cases.back') }}
      texts={{
        loadFailed: t('supervision.cases.loadOneFailed'),
        notFoundTitle: t('supervision.cases.notFoundTitle'),
        notFound: t('supervision.cases.notFound'),
      }}
    >
      {(record) => <CaseView kase={record} />}
    </RecordPage>
  );
}

function CaseView({ kase: c }: { kase: EnforcementCase }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useSupervisionNames();
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.cases.heading', { reference: c.reference })}
        documentTitle={c.reference}
        description={
          <Stack gap={6} component="span">
            <Group gap="xs" component="span" wrap="wrap">
              <Anchor component={Link} to={`/supervision/entities/${c.entityId}`} size="sm" fw={600}>
                <span lang="en" dir="auto">
                  {c.entityName}
                </span>
              </Anchor>
              <span>·</span>
              <span>{names.violation(c.violation)}</span>
              <span>·</span>
              <span>{t('supervision.cases.violationOn', { date: fmt.date(c.violationDate) })}</span>
            </Group>
            <Group gap="xs" component="span">
              <CaseStageBadge stage={c.stage} size="lg" />
              {c.nextDeadline && (
                <Text span size="sm">
                  {t('supervision.cases.nextDeadline', { at: fmt.dateTime(c.nextDeadline) })} ·{' '}
                  <Countdown dueAt={c.nextDeadline} />
                </Text>
              )}
            </Group>
          </Stack>
        }
      />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <PenaltyCard kase={c} />
            <Section id="case-facts" title={t('supervision.cases.facts')}>
              <List size="sm" spacing={4} data-testid="case-facts">
                {c.facts.map((f, i) => (
                  <List.Item key={i}>
                    <span dir="auto">{f}</span>
                  </List.Item>
                ))}
              </List>
            </Section>
            <CaseTimeline kase={c} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <CaseStepCard kase={c} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
