import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconClockExclamation } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { incidentsKey } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Countdown } from '../../components/IncidentBadges';
import { StatCard } from '../../components/StatCard';
import { useFormat } from '../../i18n/format';

/** The home page's glimpse of incidents: reports owed for an entity, the queue for handlers. */
export function IncidentsGlance() {
  const { can } = useAuth();
  if (can('incidents.handle')) return <QueueCounts />;
  if (can('incidents.report')) return <DutiesDue />;
  return null;
}

function QueueCounts() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const count = (overdue: boolean) => ({
    queryKey: [...incidentsKey, 'count', overdue],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      unwrap(
        api.GET('/api/incidents', {
          params: { query: { view: 'queue', limit: 1, overdue: overdue ? 'true' : undefined } },
          signal,
        }),
      ),
  });
  const queue = useQuery(count(false));
  const overdue = useQuery(count(true));
  if (queue.isError) return <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" data-testid="incident-queue-glance">
      <Anchor component={Link} to="/incidents" underline="never" c="inherit">
        <StatCard
          label={t('glance.queue')}
          value={queue.data ? fmt.number(queue.data.total) : '…'}
          description={t('glance.queueHint')}
          icon={<IconAlertTriangle size={22} />}
          color="orange"
        />
      </Anchor>
      <Anchor component={Link} to="/incidents?overdue=true" underline="never" c="inherit">
        <StatCard
          label={t('glance.overdue')}
          value={overdue.data ? fmt.number(overdue.data.total) : '…'}
          description={t('glance.overdueHint')}
          icon={<IconClockExclamation size={22} />}
          color="red"
        />
      </Anchor>
    </SimpleGrid>
  );
}

const SHOWN = 5;

function DutiesDue() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const incidents = useQuery({
    queryKey: [...incidentsKey, 'due-glance'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/incidents', { params: { query: { view: 'queue', limit: 50 } }, signal })),
  });
  const due = (incidents.data?.items ?? [])
    .filter((i) => i.nextDueAt)
    .sort((a, b) => a.nextDueAt!.localeCompare(b.nextDueAt!));
  return (
    <Paper p="md" component="section" aria-labelledby="duties-due" data-testid="duties-due-glance">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4" id="duties-due">
            {t('glance.dutiesDue')}
          </Title>
          <Anchor component={Link} to="/incidents" size="sm">
            {t('glance.allIncidents')}
          </Anchor>
        </Group>
        {incidents.isPending ? (
          <Skeleton h={60} aria-label={t('common.loading')} />
        ) : incidents.isError ? (
          <ErrorAlert error={incidents.error} onRetry={() => void incidents.refetch()} />
        ) : due.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('glance.nothingDue')}
          </Text>
        ) : (
          due.slice(0, SHOWN).map((i) => (
            <Group key={i.id} justify="space-between" gap="xs" wrap="wrap">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/incidents/${i.id}`} className="qila-code" size="sm" fw={700}>
                  {i.reference}
                </Anchor>
                <Text size="sm" lineClamp={1} dir="auto">
                  {i.title}
                </Text>
              </Group>
              <Group gap="xs" wrap="nowrap">
                <Countdown dueAt={i.nextDueAt!} />
                <Text size="xs" c="dimmed">
                  {fmt.dateTime(i.nextDueAt!)}
                </Text>
              </Group>
            </Group>
          ))
        )}
      </Stack>
    </Paper>
  );
}
