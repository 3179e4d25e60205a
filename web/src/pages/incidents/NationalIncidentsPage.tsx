import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import {
  Grid,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  getThemeColor,
  useMantineTheme,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconChartBarOff, IconClockExclamation } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useIncidentNames } from '../../app/incidentNames';
import type { NationalIncidents } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { ChartCard, type ChartRow } from '../../components/ChartCard';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { StatCard } from '../../components/StatCard';
import { TableToggleCard } from '../../components/TableToggleCard';
import { Withheld, WithheldLegend, type WithheldReason } from '../../components/Withheld';
import { languageOf } from '../../i18n';
import { useFormat } from '../../i18n/format';

const PERIODS = ['6', '12', '24'] as const;
// One colour per sector, in a fixed order so a sector keeps its colour between periods.
const PALETTE = [
  'qila.6',
  'blue.6',
  'orange.6',
  'grape.6',
  'teal.6',
  'red.6',
  'yellow.6',
  'indigo.6',
  'cyan.6',
  'pink.6',
  'lime.7',
  'violet.6',
  'gray.6',
];

/** Incident reporting nationally: volumes by month, class and province, and how promptly each sector reports. */
// Short choices stay on one line (the global style lets long maturity labels wrap).
const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

export function NationalIncidentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const months = PERIODS.find((p) => p === params.get('months')) ?? '12';
  const query = useQuery({
    queryKey: ['incidents', 'national', months],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/incidents/national', { params: { query: { months: Number(months) } }, signal })),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('national.title')}
        description={t('national.description')}
        actions={
          <SegmentedControl
            styles={NOWRAP_LABELS}
            aria-label={t('national.period')}
            value={months}
            onChange={(v) => setParams(v === '12' ? {} : { months: v }, { replace: true })}
            data={PERIODS.map((p) => ({ value: p, label: t('national.months', { count: Number(p) }) }))}
          />
        }
      />
      {query.isPending ? (
        <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Skeleton h={108} radius="md" />
            <Skeleton h={108} radius="md" />
          </SimpleGrid>
          <Skeleton h={360} radius="md" />
        </Stack>
      ) : query.isError ? (
        <ErrorAlert
          error={query.error}
          title={t('national.loadFailed')}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <Figures data={query.data} />
      )}
    </Stack>
  );
}

function Figures({ data }: { data: NationalIncidents }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const theme = useMantineTheme();
  const rtl = languageOf(i18n.language).dir === 'rtl';
  const minCohort = data.disclosure.minCohort;
  const withheld = (c: { suppressed: boolean; reason: WithheldReason | null }) =>
    c.suppressed ? <Withheld reason={c.reason} minCohort={minCohort} /> : undefined;
  const total = data.reported.incidents ?? data.byClass.reduce((s, c) => s + (c.incidents ?? 0), 0);
  const reasons = [
    data.reported,
    ...data.byClass,
    ...data.byAdminUnit,
    ...data.sectors,
    ...data.months.flatMap((m) => Object.values(m.bySector)),
  ].map((c) => (c.suppressed ? c.reason : null));

  const sectors = [...new Set(data.months.flatMap((m) => Object.keys(m.bySector)))].sort();
  const colorOf = (s: string) => PALETTE[sectors.indexOf(s) % PALETTE.length]!;
  const monthLabel = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return new Intl.DateTimeFormat(fmt.locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y!, mo! - 1, 1)),
    );
  };
  const monthly = data.months.map((m) => ({
    month: monthLabel(m.month),
    // A withheld month is left out of its stack rather than drawn as zero.
    ...Object.fromEntries(
      sectors.flatMap((s) => (m.bySector[s]?.suppressed ? [] : [[s, m.bySector[s]?.incidents ?? 0]])),
    ),
  }));
  const byClass: ChartRow[] = data.byClass.map((c) => ({
    label: incidentNames.rsitClass(c.rsitClass),
    value: c.incidents ?? 0,
    display: withheld(c),
  }));
  const byUnit: ChartRow[] = data.byAdminUnit.map((u) => ({
    label: names.adminUnit(u.adminUnit),
    value: u.incidents ?? 0,
    display: withheld(u),
  }));

  const barChart = (rows: ChartRow[]) => (
    <BarChart
      h={Math.max(rows.length, 2) * (wide ? 34 : 42) + 40}
      data={rows.filter((r) => !r.display).map((r) => ({ label: r.label, count: r.value }))}
      dataKey="label"
      orientation="vertical"
      series={[{ name: 'count', label: t('national.incidents'), color: 'qila.6' }]}
      valueFormatter={fmt.number}
      gridAxis="x"
      withBarValueLabel
      valueLabelProps={{ position: 'right', fill: 'var(--mantine-color-gray-8)' }}
      maxBarWidth={22}
      xAxisProps={{ reversed: rtl, allowDecimals: false }}
      yAxisProps={{
        width: wide ? 190 : 112,
        orientation: rtl ? 'right' : 'left',
        tick: {
          transform: rtl ? 'translate(10, 0)' : 'translate(-10, 0)',
          fontSize: 13,
          fill: 'currentColor',
        },
      }}
      barChartProps={{ margin: { left: 24, right: 24 } }}
    />
  );

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <StatCard
          label={t('national.reported')}
          value={withheld(data.reported) ?? fmt.number(total)}
          description={t('national.reportedHint', { count: data.months.length })}
          icon={<IconAlertTriangle size={22} />}
        />
        <StatCard
          label={t('national.open')}
          value={
            data.openIncidents === null ? (
              <Withheld reason="below_cohort" minCohort={minCohort} />
            ) : (
              fmt.number(data.openIncidents)
            )
          }
          description={t('national.openHint')}
          icon={<IconAlertTriangle size={22} />}
          color="orange"
        />
        <StatCard
          label={t('national.withOverdue')}
          value={
            data.incidentsWithOverdueReports === null ? (
              <Withheld reason="below_cohort" minCohort={minCohort} />
            ) : (
              fmt.number(data.incidentsWithOverdueReports)
            )
          }
          description={t('national.withOverdueHint')}
          icon={<IconClockExclamation size={22} />}
          color="red"
        />
      </SimpleGrid>

      {total === 0 ? (
        <EmptyState
          icon={<IconChartBarOff size={26} />}
          title={t('national.emptyTitle')}
          description={t('national.emptyBody')}
        />
      ) : (
        <>
          <TableToggleCard
            title={t('national.byMonth')}
            description={t('national.byMonthHint')}
            testId="national-by-month"
            table={
              <ScrollRegion minWidth={600} label={t('national.byMonth')}>
                <Table striped withTableBorder fz="sm">
                  <Table.Caption>{t('national.byMonth')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('national.month')}</Table.Th>
                      {sectors.map((s) => (
                        <Table.Th key={s} scope="col" ta="end">
                          {names.sector(s)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.months.map((m) => (
                      <Table.Tr key={m.month}>
                        <Table.Th scope="row">{monthLabel(m.month)}</Table.Th>
                        {sectors.map((s) => (
                          <Table.Td key={s} ta="end">
                            {m.bySector[s]?.suppressed ? (
                              <Withheld reason={m.bySector[s].reason} minCohort={minCohort} />
                            ) : (
                              fmt.number(m.bySector[s]?.incidents ?? 0)
                            )}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
            }
          >
            <BarChart
              h={280}
              data={monthly}
              dataKey="month"
              type="stacked"
              series={sectors.map((s) => ({ name: s, label: names.sector(s), color: colorOf(s) }))}
              valueFormatter={fmt.number}
              xAxisProps={{ reversed: rtl }}
              yAxisProps={{ orientation: rtl ? 'right' : 'left', allowDecimals: false }}
              maxBarWidth={36}
            />
            {/* The chart's own legend has a fixed height: on a phone its twelve sectors spilled
                over the next card. An HTML legend wraps and grows as it needs. */}
            <Group
              component="ul"
              gap="xs"
              justify="center"
              mt="xs"
              mb={0}
              p={0}
              style={{ listStyle: 'none' }}
            >
              {sectors.map((s) => (
                <Group component="li" key={s} gap={6} wrap="nowrap">
                  <span
                    className="qila-swatch"
                    style={{ background: getThemeColor(colorOf(s), theme) }}
                    aria-hidden
                  />
                  <Text size="sm">{names.sector(s)}</Text>
                </Group>
              ))}
            </Group>
          </TableToggleCard>
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <ChartCard
                title={t('national.byClass')}
                categoryLabel={t('facts.labels.rsitClass')}
                rows={byClass}
                total={total}
                format={fmt}
              >
                {barChart(byClass)}
              </ChartCard>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <ChartCard
                title={t('national.byAdminUnit')}
                categoryLabel={t('registry.adminUnit')}
                rows={byUnit}
                total={total}
                format={fmt}
              >
                {barChart(byUnit)}
              </ChartCard>
            </Grid.Col>
          </Grid>
        </>
      )}
      <SectorTable data={data} />
      <WithheldLegend reasons={reasons} minCohort={minCohort} />
    </Stack>
  );
}

/** Per sector (the share on time comes as a percentage): how many incidents, how long entities take to report, and the share of reports on time. */
function SectorTable({ data }: { data: NationalIncidents }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const minCohort = data.disclosure.minCohort;
  // Withheld sectors go last, in the server's order, so their place says nothing of their size.
  const rows = [...data.sectors].sort((a, b) => (b.incidents ?? -1) - (a.incidents ?? -1));
  const count = (n: number | null, reason: WithheldReason | null) =>
    n === null ? <Withheld reason={reason} minCohort={minCohort} /> : fmt.number(n);
  return (
    <Paper p="md" component="section" aria-labelledby="sector-timeliness">
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4" id="sector-timeliness">
            {t('national.timeliness')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('national.timelinessHint')}
          </Text>
        </Stack>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('national.noSectors')}
          </Text>
        ) : (
          <ScrollRegion minWidth={760} label={t('national.timeliness')}>
            <Table striped fz="sm" verticalSpacing={8} data-testid="sector-timeliness">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('registry.sector')}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('national.incidents')}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('national.meanHours')}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('national.onTime')}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('national.late')}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('national.missing')}
                  </Table.Th>
                  <Table.Th scope="col" w={220}>
                    {t('national.onTimeShare')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.sector}>
                    <Table.Th scope="row">{names.sector(s.sector)}</Table.Th>
                    <Table.Td ta="end">{count(s.incidents, s.reason)}</Table.Td>
                    <Table.Td ta="end">
                      {s.meanHoursToReport === null
                        ? '–'
                        : t('time.hours', { h: fmt.number(Math.round(s.meanHoursToReport * 10) / 10) })}
                    </Table.Td>
                    <Table.Td ta="end">{count(s.reportsOnTime, s.reportsReason)}</Table.Td>
                    <Table.Td ta="end">{count(s.reportsLate, s.reportsReason)}</Table.Td>
                    <Table.Td
                      ta="end"
                      c={s.reportsMissing ? 'red.8' : undefined}
                      fw={s.reportsMissing ? 700 : undefined}
                    >
                      {count(s.reportsMissing, s.reportsReason)}
                    </Table.Td>
                    <Table.Td>
                      {/* A share is left out when a count it is made of is withheld: a dash, not "no reports due". */}
                      {s.onTimeShare === null &&
                      [s.reportsOnTime, s.reportsLate, s.reportsMissing].includes(null) ? (
                        <Withheld reason={s.reportsReason} minCohort={minCohort} />
                      ) : s.onTimeShare === null ? (
                        <Text size="sm" c="dimmed">
                          {t('national.noReports')}
                        </Text>
                      ) : (
                        <Group gap="xs" wrap="nowrap">
                          <Progress
                            value={s.onTimeShare}
                            color={
                              s.onTimeShare >= 90 ? 'qila.6' : s.onTimeShare >= 70 ? 'yellow.6' : 'red.7'
                            }
                            size="lg"
                            style={{ flex: 1 }}
                            aria-hidden
                          />
                          <Text size="sm" fw={600} w={48} ta="end">
                            {fmt.percent(s.onTimeShare / 100)}
                          </Text>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
      </Stack>
    </Paper>
  );
}
