import {
  Anchor,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { IconClockCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useIncidentNames } from '../../app/incidentNames';
import type { LateDuty } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { useUrlFilters } from '../../app/urlFilters';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDuration } from '../../components/IncidentBadges';
import { LoadMoreFooter } from '../../components/LoadMoreFooter';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';

const PAGE_SIZE = 50;
const SHOW = ['all', 'overdue', 'met_late'] as const;
type Show = (typeof SHOW)[number];
const isShow = (v: string | null): v is Show => (SHOW as readonly (string | null)[]).includes(v);

/** Statutory reports that came late or never came: the Authority's supervision list. */
// Short choices stay on one line (the global style lets long maturity labels wrap).
const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

export function LateReportsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const { params, patch } = useUrlFilters();
  const raw = params.get('show');
  const show: Show = isShow(raw) ? raw : 'all';
  const sector = params.get('sector') || undefined;
  const regime = params.get('regime') || undefined;
  // One choice per regime code, named as its latest version names it.
  const regimeOptions = [
    ...new Map((incidentNames.regimes ?? []).map((r) => [r.code, `${r.name} (${r.authority})`])),
  ].map(([value, label]) => ({ value, label }));
  const query = useInfiniteQuery({
    queryKey: ['incidents', 'duties', 'late', show, sector, regime],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/incidents/duties', {
          params: {
            query:
              show === 'all'
                ? { late: 'true', sector, regime, offset: pageParam, limit: PAGE_SIZE }
                : { status: show, sector, regime, offset: pageParam, limit: PAGE_SIZE },
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
    // The deadline job turns reports overdue in the background: keep the list current.
    refetchInterval: 60_000,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('lateReports.title')}
        description={t('lateReports.description')}
        actions={
          <SegmentedControl
            styles={NOWRAP_LABELS}
            aria-label={t('lateReports.show')}
            value={show}
            onChange={(v) => patch({ show: v === 'all' ? null : v })}
            data={SHOW.map((s) => ({ value: s, label: t(`lateReports.filters.${s}`) }))}
          />
        }
      />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('lateReports.sector')}
          placeholder={t('lateReports.allSectors')}
          data={names.sectorOptions}
          value={sector ?? null}
          onChange={(v) => patch({ sector: v })}
          clearable
          searchable
          w={{ base: '100%', xs: 260 }}
        />
        <Select
          label={t('lateReports.regime')}
          placeholder={t('lateReports.allRegimes')}
          data={regimeOptions}
          value={regime ?? null}
          onChange={(v) => patch({ regime: v })}
          clearable
          w={{ base: '100%', xs: 340 }}
        />
      </Group>
      {query.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} h={36} />
            ))}
          </Stack>
        </Paper>
      ) : query.isError && !query.data ? (
        <ErrorAlert
          error={query.error}
          title={t('lateReports.loadFailed')}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconClockCheck size={26} />}
          title={t('lateReports.emptyTitle')}
          description={t('lateReports.emptyBody')}
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Text size="sm" c="dimmed" px="md" pt="sm" aria-live="polite">
            {t('lateReports.count', { count: total, formatted: fmt.number(total) })}
          </Text>
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="late-reports">
              <VisuallyHidden component="caption">{t('lateReports.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('incidents.reference')}</Table.Th>
                  <Table.Th scope="col">{t('incidents.entity')}</Table.Th>
                  <Table.Th scope="col">{t('lateReports.report')}</Table.Th>
                  <Table.Th scope="col">{t('lateReports.dueAt')}</Table.Th>
                  <Table.Th scope="col">{t('lateReports.receivedAt')}</Table.Th>
                  <Table.Th scope="col">{t('lateReports.status')}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('lateReports.howLate')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <LateRow key={d.id} duty={d} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMoreFooter query={query} />
        </Paper>
      )}
    </Stack>
  );
}

function LateRow({ duty: d }: { duty: LateDuty }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const duration = useDuration();
  const missing = d.status === 'overdue';
  return (
    <Table.Tr data-testid="late-row" data-reference={d.reference} data-status={d.status}>
      <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
        <Anchor component={Link} to={`/incidents/${d.incidentId}`} fw={700} size="sm" className="qila-code">
          {d.reference}
        </Anchor>
      </Table.Th>
      <Table.Td>
        <Stack gap={0}>
          <span lang="en" dir="auto">
            {d.entityName}
          </span>
          <Text size="xs" c="dimmed">
            {names.sector(d.sector)}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <span>{incidentNames.stage(d)}</span>
          <Text size="xs" c="dimmed" lang="en" dir="auto">
            {d.authority}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.dueAt ? fmt.dateTime(d.dueAt) : '–'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {d.metAt ? (
          fmt.dateTime(d.metAt)
        ) : (
          <Text span size="sm" c="red.8" fw={600}>
            {t('lateReports.notReceived')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={missing ? 'red.8' : 'orange.8'} className="qila-badge-fit">
          {missing ? t('lateReports.missing') : t('lateReports.late')}
        </Badge>
      </Table.Td>
      <Table.Td ta="end" style={{ whiteSpace: 'nowrap' }}>
        {d.hoursLate === null ? '–' : duration(d.hoursLate * 3_600_000)}
      </Table.Td>
    </Table.Tr>
  );
}
