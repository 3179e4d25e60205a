import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Grid, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconChartBarOff, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import {
  COMPLIANCE_COLOR,
  COMPLIANCE_STATUSES,
  type ComplianceStatus,
  type NationalCompliance,
} from '../../app/supervision';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StatCard } from '../../components/StatCard';
import { TableToggleCard } from '../../components/TableToggleCard';
import { Withheld, WithheldLegend } from '../../components/Withheld';
import { languageOf } from '../../i18n';
import { useFormat } from '../../i18n/format';

type Row = NationalCompliance['bySector'][number];
// Short choices stay on one line (the global style lets long labels wrap).
const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

/** The national compliance map: per province and per sector, how many entities are in each status. */
export function NationalCompliancePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const shares = params.get('show') === 'shares';
  const query = useQuery({
    queryKey: ['supervision', 'national'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/supervision/national', { signal })),
  });
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.national.title')}
        description={t('supervision.national.description')}
        actions={
          <SegmentedControl
            styles={NOWRAP_LABELS}
            aria-label={t('supervision.national.show')}
            value={shares ? 'shares' : 'counts'}
            onChange={(v) => setParams(v === 'shares' ? { show: v } : {}, { replace: true })}
            data={[
              { value: 'counts', label: t('supervision.national.counts') },
              { value: 'shares', label: t('supervision.national.shares') },
            ]}
          />
        }
      />
      {query.isPending ? (
        <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Skeleton h={108} radius="md" />
            <Skeleton h={108} radius="md" />
            <Skeleton h={108} radius="md" />
          </SimpleGrid>
          <Skeleton h={420} radius="md" />
        </Stack>
      ) : query.isError ? (
        <ErrorAlert
          error={query.error}
          title={t('supervision.national.loadFailed')}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <Figures data={query.data} shares={shares} />
      )}
    </Stack>
  );
}

function Figures({ data, shares }: { data: NationalCompliance; shares: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const minCohort = data.disclosure.minCohort;
  const totals = data.totals;
  const all = totals ? totals.compliant + totals.at_risk + totals.non_compliant : null;
  const share = (n: number) => t('supervision.board.share', { share: fmt.percent(all ? n / all : 0) });
  const stat = (s: ComplianceStatus) =>
    totals ? fmt.number(totals[s]) : <Withheld reason="whole_row" minCohort={minCohort} />;
  const hint = (s: ComplianceStatus) => (totals ? share(totals[s]) : undefined);
  const reasons = [...data.byAdminUnit, ...data.bySector].map((r) => r.reason);
  if (all === 0 || (!data.byAdminUnit.length && !data.bySector.length))
    return (
      <EmptyState
        icon={<IconChartBarOff size={26} />}
        title={t('supervision.national.emptyTitle')}
        description={t('supervision.national.empty')}
      />
    );
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <StatCard
          label={t('supervision.statuses.compliant')}
          value={stat('compliant')}
          description={hint('compliant')}
          icon={<IconCircleCheck size={22} />}
        />
        <StatCard
          label={t('supervision.statuses.at_risk')}
          value={stat('at_risk')}
          description={hint('at_risk')}
          icon={<IconAlertTriangle size={22} />}
          color="orange"
        />
        <StatCard
          label={t('supervision.statuses.non_compliant')}
          value={stat('non_compliant')}
          description={hint('non_compliant')}
          icon={<IconCircleX size={22} />}
          color="red"
        />
      </SimpleGrid>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, xl: 6 }}>
          <StatusBars
            title={t('supervision.national.byAdminUnit')}
            categoryLabel={t('registry.adminUnit')}
            rows={data.byAdminUnit}
            label={names.adminUnit}
            shares={shares}
            minCohort={minCohort}
            testId="national-by-unit"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 6 }}>
          <StatusBars
            title={t('supervision.national.bySector')}
            categoryLabel={t('registry.sector')}
            rows={data.bySector}
            label={names.sector}
            shares={shares}
            minCohort={minCohort}
            testId="national-by-sector"
          />
        </Grid.Col>
      </Grid>
      <WithheldLegend reasons={reasons} minCohort={minCohort} />
    </Stack>
  );
}

/** One stacked bar per province or sector, worst first, with the same figures as a table on request. */
function StatusBars({
  title,
  categoryLabel,
  rows,
  label,
  shares,
  minCohort,
  testId,
}: {
  title: string;
  categoryLabel: string;
  rows: Row[];
  label: (code: string) => string;
  shares: boolean;
  minCohort: number;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const rtl = languageOf(i18n.language).dir === 'rtl';
  const n = (r: Row, s: ComplianceStatus) => r[s] ?? 0;
  const total = (r: Row) => n(r, 'compliant') + n(r, 'at_risk') + n(r, 'non_compliant');
  const bad = (r: Row) => (total(r) ? (n(r, 'non_compliant') * 2 + n(r, 'at_risk')) / total(r) : 0);
  // Withheld rows go last, by name: their place says nothing of their figures.
  const sorted = [...rows].sort(
    (a, b) =>
      Number(a.suppressed) - Number(b.suppressed) ||
      (a.suppressed ? 0 : bad(b) - bad(a)) ||
      label(a.key).localeCompare(label(b.key)),
  );
  const dash = <Withheld reason="whole_row" minCohort={minCohort} />;
  return (
    <TableToggleCard
      title={title}
      description={shares ? t('supervision.national.sharesHint') : t('supervision.national.countsHint')}
      testId={testId}
      table={
        <Table.ScrollContainer minWidth={520}>
          <Table striped withTableBorder fz="sm">
            <Table.Caption>{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{categoryLabel}</Table.Th>
                {COMPLIANCE_STATUSES.map((s) => (
                  <Table.Th key={s} scope="col" ta="end">
                    {t(`supervision.statuses.${s}`)}
                  </Table.Th>
                ))}
                <Table.Th scope="col" ta="end">
                  {t('charts.total')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Th scope="row">{label(r.key)}</Table.Th>
                  {COMPLIANCE_STATUSES.map((s) => (
                    <Table.Td key={s} ta="end">
                      {r.suppressed ? dash : fmt.number(n(r, s))}
                      {!r.suppressed && total(r) > 0 && (
                        <Text span c="dimmed" fz="xs" ms={4}>
                          ({fmt.percent(n(r, s) / total(r))})
                        </Text>
                      )}
                    </Table.Td>
                  ))}
                  <Table.Td ta="end" fw={700}>
                    {r.suppressed ? dash : fmt.number(total(r))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      }
    >
      <BarChart
        h={Math.max(sorted.length, 2) * (wide ? 36 : 44) + 70}
        data={sorted.filter((r) => !r.suppressed).map((r) => ({ label: label(r.key), ...r }))}
        dataKey="label"
        type={shares ? 'percent' : 'stacked'}
        orientation="vertical"
        series={COMPLIANCE_STATUSES.map((s) => ({
          name: s,
          label: t(`supervision.statuses.${s}`),
          color: COMPLIANCE_COLOR[s],
        }))}
        valueFormatter={fmt.number}
        withLegend
        legendProps={{
          verticalAlign: 'top',
          height: 40,
          // Best to worst, as everywhere else (recharts sorts by name otherwise).
          itemSorter: (item) => COMPLIANCE_STATUSES.indexOf(String(item.dataKey) as ComplianceStatus),
        }}
        gridAxis="x"
        maxBarWidth={24}
        // Whole entities, or shares between 0 and 1 (where whole ticks would stretch the axis to 400%).
        xAxisProps={{ reversed: rtl, allowDecimals: shares }}
        yAxisProps={{
          width: wide ? 170 : 110,
          orientation: rtl ? 'right' : 'left',
          tick: {
            transform: rtl ? 'translate(10, 0)' : 'translate(-10, 0)',
            fontSize: 13,
            fill: 'currentColor',
          },
        }}
        barChartProps={{ margin: { left: 24, right: 24 } }}
      />
    </TableToggleCard>
  );
}
