import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconFilterOff, IconLock, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUrlFilters } from '../../app/urlFilters';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import {
  incidentsKey,
  readIncidentFilters,
  type IncidentFilters,
  type IncidentSummary,
} from '../../app/incidents';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import {
  Countdown,
  IncidentStatusBadge,
  LateBadge,
  SeverityBadge,
  TlpBadge,
} from '../../components/IncidentBadges';
import { LoadMoreFooter } from '../../components/LoadMoreFooter';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { IncidentFilterBar } from './IncidentFilters';

const PAGE_SIZE = 50;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** Handlers' queue (severity, then the nearest deadline) or the latest reports; filters live in the address. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const handler = can('incidents.handle');
  const { params, patch, reset } = useUrlFilters();
  const filters = readIncidentFilters(params, handler);

  const clear = () => reset(params.get('view') ? { view: params.get('view')! } : {});

  return (
    <Stack gap="md">
      <PageHeader
        title={t('incidents.title')}
        description={handler ? t('incidents.descriptionHandler') : t('incidents.description')}
        actions={
          can('incidents.report') && (
            <Button component={Link} to="/incidents/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('incidents.report')}
            </Button>
          )
        }
      />
      <IncidentFilterBar filters={filters} handler={handler} onChange={patch} onClear={clear} />
      <Results filters={filters} onClear={clear} />
    </Stack>
  );
}

function Results({ filters, onClear }: { filters: IncidentFilters; onClear: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  // An entity's own people see only their organisation's incidents: no entity column then.
  const showEntity = can('incidents.handle') || !can('incidents.report');
  const wide = useMediaQuery('(min-width: 48em)', true);
  const query = useInfiniteQuery({
    queryKey: [...incidentsKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/incidents', {
          params: {
            query: {
              view: filters.view,
              status: filters.status.join(',') || undefined,
              severity: filters.severity.join(',') || undefined,
              overdue: filters.overdue ? 'true' : undefined,
              late: filters.late ? 'true' : undefined,
              assignedToMe: filters.mine ? 'true' : undefined,
              q: filters.q || undefined,
              offset: pageParam,
              limit: PAGE_SIZE,
            },
          },
          signal,
        }),
      ),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const seen = pages.reduce((n, p) => n + p.items.length, 0);
      return seen < last.total && last.items.length > 0 ? seen : undefined;
    },
    placeholderData: keepPreviousData,
  });

  if (query.isPending)
    return (
      <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
        <Stack gap="xs">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} h={36} />
          ))}
        </Stack>
      </Paper>
    );
  if (query.isError && !query.data)
    return (
      <ErrorAlert
        error={query.error}
        title={t('incidents.loadFailed')}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  const items = query.data.pages.flatMap((p) => p.items);
  const total = query.data.pages[0]?.total ?? 0;
  const filtered =
    filters.status.length ||
    filters.severity.length ||
    filters.overdue ||
    filters.late ||
    filters.mine ||
    filters.q;
  if (items.length === 0)
    return filtered ? (
      <EmptyState
        icon={<IconFilterOff size={26} />}
        title={t('incidents.noMatchTitle')}
        description={t('incidents.noMatchBody')}
        action={
          <Button variant="light" onClick={onClear}>
            {t('registry.clearFilters')}
          </Button>
        }
      />
    ) : (
      <EmptyState
        icon={<IconAlertTriangle size={26} />}
        title={t('incidents.emptyTitle')}
        description={can('incidents.report') ? t('incidents.emptyBodyEntity') : t('incidents.emptyBody')}
        action={
          can('incidents.report') ? (
            <Button component={Link} to="/incidents/new" variant="light">
              {t('incidents.report')}
            </Button>
          ) : undefined
        }
      />
    );

  return (
    <Paper p={0} style={{ overflow: 'hidden' }} aria-busy={query.isFetching}>
      <Text size="sm" c="dimmed" px="md" pt="sm" aria-live="polite">
        {t('incidents.count', { count: total, formatted: fmt.number(total) })}
      </Text>
      {wide ? (
        <Table.ScrollContainer minWidth={980}>
          <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="incident-list">
            <VisuallyHidden component="caption">{t('incidents.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('incidents.reference')}</Table.Th>
                <Table.Th scope="col">{t('incidents.titleCol')}</Table.Th>
                {showEntity && <Table.Th scope="col">{t('incidents.entity')}</Table.Th>}
                <Table.Th scope="col">{t('incidents.severity')}</Table.Th>
                <Table.Th scope="col">{t('incidents.tlp')}</Table.Th>
                <Table.Th scope="col">{t('incidents.status')}</Table.Th>
                <Table.Th scope="col">{t('incidents.nextDeadline')}</Table.Th>
                <Table.Th scope="col">{t('incidents.assignee')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Row key={i.id} incident={i} showEntity={showEntity} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <IncidentCards items={items} showEntity={showEntity} />
      )}
      <LoadMoreFooter query={query} />
    </Paper>
  );
}

function Row({ incident: i, showEntity }: { incident: IncidentSummary; showEntity: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="incident-row" data-reference={i.reference}>
      <Table.Th scope="row" style={NOWRAP}>
        <Anchor component={Link} to={`/incidents/${i.id}`} fw={700} size="sm" className="qila-code">
          {i.reference}
        </Anchor>
      </Table.Th>
      <Table.Td style={{ minWidth: 220 }}>
        {i.restricted ? (
          <Badge
            color="red.8"
            variant="light"
            leftSection={<IconLock size={12} aria-hidden />}
            className="qila-badge-fit"
          >
            {t('incidents.restricted')}
          </Badge>
        ) : (
          <Text size="sm" dir="auto" lineClamp={2}>
            {i.title}
          </Text>
        )}
      </Table.Td>
      {showEntity && (
        <Table.Td style={{ minWidth: 160 }}>
          <span lang="en" dir="auto">
            {i.entityName}
          </span>
        </Table.Td>
      )}
      <Table.Td>
        <SeverityBadge severity={i.severity} />
      </Table.Td>
      <Table.Td>
        <TlpBadge tlp={i.tlp} />
      </Table.Td>
      <Table.Td>
        <IncidentStatusBadge status={i.status} />
      </Table.Td>
      <Table.Td style={NOWRAP}>
        <NextDeadline incident={i} />
      </Table.Td>
      <Table.Td style={NOWRAP}>
        {i.assignee?.name ?? (
          <Text span size="sm" c="dimmed">
            {t('handling.unassigned')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The nearest deadline, counting down, and whether a report is overdue or came late. */
function NextDeadline({ incident: i }: { incident: IncidentSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Stack gap={2}>
      {i.nextDueAt ? (
        <>
          <Countdown dueAt={i.nextDueAt} />
          <Text size="xs" c="dimmed">
            {fmt.dateTime(i.nextDueAt)}
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t('incidents.nothingDue')}
        </Text>
      )}
      <Group gap={4}>
        {i.overdueDuties > 0 && (
          <Badge color="red.8" size="xs" className="qila-badge-fit">
            {t('incidents.overdueCount', {
              count: i.overdueDuties,
              formatted: fmt.number(i.overdueDuties),
            })}
          </Badge>
        )}
        {i.late && <LateBadge size="xs" />}
      </Group>
    </Stack>
  );
}

/** On a phone, one card per incident instead of a table that scrolls sideways. */
function IncidentCards({ items, showEntity }: { items: IncidentSummary[]; showEntity: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack
      gap={0}
      component="ul"
      aria-label={t('incidents.title')}
      data-testid="incident-list"
      style={{ listStyle: 'none', margin: 0, padding: 0 }}
    >
      {items.map((i) => (
        <Box
          component="li"
          key={i.id}
          px="md"
          py="sm"
          data-testid="incident-row"
          data-reference={i.reference}
          style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
        >
          <Stack gap={6}>
            <Group gap={6} justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/incidents/${i.id}`} fw={700} size="sm" className="qila-code">
                {i.reference}
              </Anchor>
              <Group gap={4} wrap="nowrap">
                <SeverityBadge severity={i.severity} size="xs" />
                <IncidentStatusBadge status={i.status} size="xs" />
              </Group>
            </Group>
            {i.restricted ? (
              <Badge
                color="red.8"
                variant="light"
                leftSection={<IconLock size={12} aria-hidden />}
                className="qila-badge-fit"
              >
                {t('incidents.restricted')}
              </Badge>
            ) : (
              <Text size="sm" fw={600} dir="auto" lineClamp={3}>
                {i.title}
              </Text>
            )}
            {showEntity && (
              <Text size="sm" c="dimmed" lang="en" dir="auto">
                {i.entityName}
              </Text>
            )}
            <Group gap="xs" justify="space-between" align="flex-start" wrap="nowrap">
              <NextDeadline incident={i} />
              <TlpBadge tlp={i.tlp} size="xs" />
            </Group>
            {showEntity && (
              <Text size="xs" c="dimmed">
                {t('incidents.assignee')}: {i.assignee?.name ?? t('handling.unassigned')}
              </Text>
            )}
          </Stack>
        </Box>
      ))}
    </Stack>
  );
}
