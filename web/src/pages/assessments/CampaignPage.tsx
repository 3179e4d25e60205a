import {
  Anchor,
  Box,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconArrowLeft, IconChartInfographic, IconClipboardList, IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import {
  DIMENSIONS,
  OPEN_STATUSES,
  STATUSES,
  isDimension,
  isStatus,
  type NationalPicture,
} from '../../app/assessments';
import { useAuth } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { BandLegend, useBand } from '../../components/AssessmentBadges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { StatCard } from '../../components/StatCard';
import { TableToggleCard } from '../../components/TableToggleCard';
import { Withheld, WithheldLegend, type WithheldReason } from '../../components/Withheld';
import { useFormat } from '../../i18n/format';
import { AssessmentList, CampaignStatus, ProgressBreakdown, useFrameworkName } from './AssessmentsPage';

export function BackToAssessments() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/assessments" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {t('assessments.back')}
      </Group>
    </Anchor>
  );
}

export function CampaignPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const fmt = useFormat();
  const frameworkName = useFrameworkName();
  const mayRead = can('assessments.read');
  const mayNational = can('national.aggregates.read');
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/campaigns/{id}', { params: { path: { id } }, signal })),
    enabled: mayRead,
  });
  const national = useQuery({
    queryKey: ['campaign', id, 'national'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/campaigns/{id}/national', { params: { path: { id } }, signal })),
    enabled: mayNational,
  });

  // An observer reads the national picture without the campaign record: its name comes from there.
  const name = campaign.data?.name ?? national.data?.campaign.name;
  const loading = mayRead ? campaign.isPending : national.isPending;
  const error = mayRead ? campaign.error : national.error;

  if (loading) {
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={20} w={160} />
        <Skeleton h={40} w="50%" />
        <Skeleton h={160} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  }
  if (error || !name) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Stack gap="md">
        <BackToAssessments />
        {notFound ? (
          <EmptyState
            icon={<IconSearchOff size={26} />}
            title={t('campaign.notFoundTitle')}
            description={t('campaign.notFound')}
          />
        ) : (
          <ErrorAlert
            error={error}
            title={t('campaign.loadFailed')}
            onRetry={() => void (mayRead ? campaign.refetch() : national.refetch())}
          />
        )}
      </Stack>
    );
  }

  const c = campaign.data;
  return (
    <Stack gap="lg">
      <BackToAssessments />
      <PageHeader
        title={name}
        description={
          <Stack gap={4} component="span">
            {c?.description && <span dir="auto">{c.description}</span>}
            {c && (
              <span>
                {t('assessments.dates', { opens: fmt.date(c.opensOn), due: fmt.date(c.dueOn) })}
                {c.graceDays > 0 && ` · ${t('assessments.grace', { count: c.graceDays })}`}
              </span>
            )}
            {c && (
              <span>
                {t('assessments.frameworksList', { list: fmt.list(c.frameworks.map(frameworkName)) })}
              </span>
            )}
          </Stack>
        }
        actions={c && <CampaignStatus campaign={c} />}
      />
      {c && (
        <Paper p="md" component="section" aria-labelledby="campaign-progress">
          <Stack gap="sm">
            <Text component="h2" fw={700} size="lg" id="campaign-progress" m={0}>
              {t('campaign.progress')}
            </Text>
            <ProgressBreakdown progress={c.progress} />
          </Stack>
        </Paper>
      )}
      {mayNational && <NationalSection query={national} onRetry={() => void national.refetch()} />}
      {mayRead && <CampaignAssessments campaignId={id} dueOn={c?.dueOn} />}
    </Stack>
  );
}

function NationalSection({
  query,
  onRetry,
}: {
  query: {
    data?: NationalPicture;
    isPending: boolean;
    isError: boolean;
    error: unknown;
    isFetching: boolean;
  };
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (query.isPending)
    return <Skeleton h={320} radius="md" aria-busy="true" aria-label={t('common.loading')} />;
  if (query.isError || !query.data)
    return (
      <ErrorAlert
        error={query.error}
        title={t('campaign.nationalFailed')}
        onRetry={onRetry}
        retrying={query.isFetching}
      />
    );
  const n = query.data;
  return (
    <Stack gap="md" component="section" aria-labelledby="national-title">
      <Stack gap={2}>
        <Text component="h2" fw={700} fz="h3" id="national-title" m={0}>
          {t('campaign.national')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('campaign.nationalHint', { n: n.minCohort })}
        </Text>
      </Stack>
      {n.accepted === 0 ? (
        <EmptyState
          icon={<IconChartInfographic size={26} />}
          title={t('campaign.noAcceptedTitle')}
          description={t('campaign.noAccepted')}
        />
      ) : (
        <>
          <SimpleGrid cols={2} spacing="md">
            <StatCard
              label={t('campaign.overall')}
              value={n.overall === null ? t('campaign.suppressedShort') : fmt.number(n.overall)}
              description={t('campaign.overallHint')}
              icon={<IconChartInfographic size={22} />}
            />
            <StatCard
              label={t('campaign.accepted')}
              value={
                n.accepted === null ? (
                  <Withheld reason={n.acceptedReason} minCohort={n.minCohort} />
                ) : (
                  fmt.number(n.accepted)
                )
              }
              description={t('campaign.acceptedHint')}
              icon={<IconClipboardList size={22} />}
            />
          </SimpleGrid>
          <BandLegend />
          <SectorDimensionHeatmap picture={n} />
          <UnitSectorHeatmap picture={n} />
          <WeakestList picture={n} />
          <WithheldLegend
            reasons={[
              n.acceptedReason,
              ...n.bySectorDimension.map((c) => c.reason),
              ...n.byUnitSector.map((c) => c.reason),
            ]}
            minCohort={n.minCohort}
          />
        </>
      )}
    </Stack>
  );
}

type Cell =
  { n: number | null; score: number | null; suppressed: boolean; reason: WithheldReason | null } | undefined;

/** One heatmap cell: the score and its band in words (for screen readers), or why there is none. */
function HeatCell({ cell, minCohort, label }: { cell: Cell; minCohort: number; label: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const band = useBand();
  if (!cell)
    return (
      <Table.Td ta="center" c="dimmed" aria-label={t('campaign.cellNone', { cell: label })}>
        –
      </Table.Td>
    );
  if (cell.suppressed || cell.score === null || cell.n === null)
    return (
      <Table.Td ta="center" bg="gray.1" c="dimmed">
        <Withheld reason={cell.reason} minCohort={minCohort} />
      </Table.Td>
    );
  const b = band(cell.score);
  return (
    <Table.Td
      ta="center"
      style={{ background: b.bg, color: b.fg }}
      title={t('campaign.cellTitle', {
        cell: label,
        score: fmt.number(cell.score),
        band: b.label,
        n: fmt.number(cell.n),
      })}
    >
      <Text fw={700} size="sm" lh={1.3} inherit>
        {fmt.number(cell.score)}
      </Text>
      <Text size="xs" lh={1.3} inherit>
        {b.label}
        <VisuallyHidden>{`, ${t('campaign.entitiesN', { n: fmt.number(cell.n) })}`}</VisuallyHidden>
      </Text>
    </Table.Td>
  );
}

function HeatTable({
  caption,
  corner,
  rows,
  cols,
  cell,
  minCohort,
}: {
  caption: string;
  corner: string;
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  cell: (row: string, col: string) => Cell;
  minCohort: number;
}) {
  return (
    <ScrollRegion minWidth={cols.length * 96 + 160} label={caption}>
      <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={6} className="qila-heatmap">
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{corner}</Table.Th>
            {cols.map((c) => (
              <Table.Th key={c.key} scope="col" ta="center">
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-row={r.key}>
              <Table.Th scope="row" fw={600}>
                {r.label}
              </Table.Th>
              {cols.map((c) => (
                <HeatCell
                  key={c.key}
                  cell={cell(r.key, c.key)}
                  minCohort={minCohort}
                  label={`${r.label}, ${c.label}`}
                />
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

/** The heatmap's figures one per line: what a screen reader or a spreadsheet wants. */
function FlatTable({
  caption,
  headers,
  rows,
}: {
  caption: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  return (
    <ScrollRegion minWidth={480} label={caption}>
      <Table striped withTableBorder fz="sm">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {headers.map((h, i) => (
              <Table.Th key={h} scope="col" ta={i >= 2 ? 'end' : undefined}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              {r.cells.map((c, i) => (
                <Table.Td key={i} ta={i >= 2 ? 'end' : undefined}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

function useCellText() {
  const fmt = useFormat();
  return (c: NonNullable<Cell>, minCohort: number) =>
    c.suppressed || c.score === null ? (
      <Withheld reason={c.reason} minCohort={minCohort} />
    ) : (
      fmt.number(c.score)
    );
}

function SectorDimensionHeatmap({ picture: n }: { picture: NationalPicture }) {
  const { t } = useTranslation();
  const dimensionName = (d: string) => (d === 'overall' || isDimension(d) ? t(`dimensions.${d}`) : d);
  const names = useNames();
  const fmt = useFormat();
  const cellText = useCellText();
  const sectors = [...new Set(n.bySectorDimension.map((c) => c.sector))]
    .map((s) => ({ key: s, label: names.sector(s) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const dims = [...DIMENSIONS, 'overall' as const].map((d) => ({ key: d, label: t(`dimensions.${d}`) }));
  const find = (s: string, d: string) => n.bySectorDimension.find((c) => c.sector === s && c.dimension === d);
  const title = t('campaign.sectorDimension');
  return (
    <TableToggleCard
      title={title}
      description={t('campaign.sectorDimensionHint')}
      testId="heatmap-sector-dimension"
      table={
        <FlatTable
          caption={title}
          headers={[
            t('registry.sector'),
            t('campaign.dimension'),
            t('campaign.entities'),
            t('assessments.score'),
          ]}
          rows={n.bySectorDimension.map((c) => ({
            key: `${c.sector}|${c.dimension}`,
            cells: [
              names.sector(c.sector),
              dimensionName(c.dimension),
              c.n === null ? <Withheld reason={c.reason} minCohort={n.minCohort} /> : fmt.number(c.n),
              cellText(c, n.minCohort),
            ],
          }))}
        />
      }
    >
      <HeatTable
        caption={title}
        corner={t('registry.sector')}
        rows={sectors}
        cols={dims}
        cell={find}
        minCohort={n.minCohort}
      />
    </TableToggleCard>
  );
}

function UnitSectorHeatmap({ picture: n }: { picture: NationalPicture }) {
  const { t } = useTranslation();
  const names = useNames();
  const fmt = useFormat();
  const cellText = useCellText();
  const units = [...new Set(n.byUnitSector.map((c) => c.adminUnit))]
    .map((u) => ({ key: u, label: names.adminUnit(u) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const sectors = [...new Set(n.byUnitSector.map((c) => c.sector))]
    .map((s) => ({ key: s, label: names.sector(s) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const find = (u: string, s: string) => n.byUnitSector.find((c) => c.adminUnit === u && c.sector === s);
  const title = t('campaign.unitSector');
  return (
    <TableToggleCard
      title={title}
      description={t('campaign.unitSectorHint')}
      testId="heatmap-unit-sector"
      table={
        <FlatTable
          caption={title}
          headers={[
            t('registry.adminUnit'),
            t('registry.sector'),
            t('campaign.entities'),
            t('assessments.score'),
          ]}
          rows={n.byUnitSector.map((c) => ({
            key: `${c.adminUnit}|${c.sector}`,
            cells: [
              names.adminUnit(c.adminUnit),
              names.sector(c.sector),
              c.n === null ? <Withheld reason={c.reason} minCohort={n.minCohort} /> : fmt.number(c.n),
              cellText(c, n.minCohort),
            ],
          }))}
        />
      }
    >
      <HeatTable
        caption={title}
        corner={t('registry.adminUnit')}
        rows={units}
        cols={sectors}
        cell={find}
        minCohort={n.minCohort}
      />
    </TableToggleCard>
  );
}

function WeakestList({ picture: n }: { picture: NationalPicture }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const band = useBand();
  const title = t('campaign.weakest');
  return (
    <TableToggleCard
      title={title}
      description={t('campaign.weakestHint')}
      testId="weakest"
      table={
        <FlatTable
          caption={title}
          headers={[
            t('campaign.requirement'),
            t('campaign.statement'),
            t('campaign.entities'),
            t('assessments.score'),
          ]}
          rows={n.weakest.map((w) => ({
            key: `${w.frameworkId}|${w.itemId}`,
            cells: [
              <span key="id" className="qila-code">
                {w.itemId}
              </span>,
              <span key="s" lang="en">
                {w.statement ?? ''}
              </span>,
              fmt.number(w.n),
              fmt.number(w.score),
            ],
          }))}
        />
      }
    >
      {n.weakest.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('campaign.weakestNone', { n: n.minCohort })}
        </Text>
      ) : (
        <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
          {n.weakest.map((w) => {
            const b = band(w.score);
            return (
              <Box component="li" key={`${w.frameworkId}|${w.itemId}`}>
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="sm" style={{ minWidth: 0 }} lang="en" dir="ltr" ta="start">
                    <span className="qila-code">{w.itemId}</span> {w.statement}
                  </Text>
                  <Text size="sm" fw={700} style={{ flex: 'none' }}>
                    {fmt.number(w.score)}
                  </Text>
                </Group>
                <div className="qila-bar" aria-hidden>
                  <div
                    className="qila-bar-fill"
                    style={{ width: `${Math.max(2, w.score)}%`, background: b.fg }}
                  />
                </div>
              </Box>
            );
          })}
        </Stack>
      )}
    </TableToggleCard>
  );
}

function CampaignAssessments({ campaignId, dueOn }: { campaignId: string; dueOn?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') ?? '';
  const filter = isStatus(statusParam) || statusParam === 'overdue' ? statusParam : 'all';
  const assessments = useQuery({
    queryKey: ['assessments', 'campaign', campaignId],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/assessments', { params: { query: { campaignId, limit: 500 } }, signal })),
  });
  const all = assessments.data?.items ?? [];
  const items =
    filter === 'all'
      ? all
      : filter === 'overdue'
        ? all.filter((a) => (OPEN_STATUSES as readonly string[]).includes(a.status))
        : all.filter((a) => a.status === filter);
  const pastDue = dueOn ? new Date().toISOString().slice(0, 10) > dueOn : false;

  return (
    <Paper p={0} component="section" aria-labelledby="campaign-assessments" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" align="flex-end" p="md" gap="sm">
        <Stack gap={2}>
          <Text component="h2" fw={700} fz="h4" id="campaign-assessments" m={0}>
            {t('campaign.assessments')}
          </Text>
          {assessments.data && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('campaign.showing', { shown: fmt.number(items.length), total: fmt.number(all.length) })}
            </Text>
          )}
        </Stack>
        <Select
          label={t('assessments.status')}
          value={filter}
          onChange={(v) => setParams(!v || v === 'all' ? {} : { status: v }, { replace: true })}
          allowDeselect={false}
          data={[
            { value: 'all', label: t('campaign.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: t(`assessments.statuses.${s}`) })),
            { value: 'overdue', label: pastDue ? t('campaign.overdue') : t('campaign.notSubmitted') },
          ]}
          w={220}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {assessments.isPending ? (
        <Stack gap="xs" p="md" aria-busy="true" aria-label={t('common.loading')}>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} h={32} />
          ))}
        </Stack>
      ) : assessments.isError ? (
        <Box p="md">
          <ErrorAlert
            error={assessments.error}
            title={t('assessments.listFailed')}
            onRetry={() => void assessments.refetch()}
            retrying={assessments.isFetching}
          />
        </Box>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" p="md" pt={0}>
          {t('campaign.noAssessments')}
        </Text>
      ) : (
        <AssessmentList items={items} wide={wide} show="entity" />
      )}
    </Paper>
  );
}
