import '@mantine/charts/styles.css';
import { BarChart, DonutChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconBuildingCommunity, IconDatabaseOff, IconInfoCircle, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type ApiResponse } from '../api/client';
import { useAuth, useMe } from '../app/auth';
import { useEntityLabel } from '../app/entities';
import { useNames } from '../app/jurisdiction';
import { useDescribeRole } from '../app/roles';
import { ChartCard, type ChartRow } from '../components/ChartCard';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { Withheld, WithheldLegend } from '../components/Withheld';
import { languageOf } from '../i18n';
import { useFormat, type Formatters } from '../i18n/format';
import { IncidentsGlance } from './incidents/IncidentsGlance';

type Overview = ApiResponse<'/api/registry/overview'>;
type TierKey = '1' | '2' | '3' | 'none';
const TIERS: readonly TierKey[] = ['1', '2', '3', 'none'];
const TIER_COLORS: Record<TierKey, string> = {
  '1': 'red.8',
  '2': 'orange.7',
  '3': 'yellow.6',
  none: 'gray.4',
};
const cssColor = (c: string) => `var(--mantine-color-${c.replace('.', '-')})`;

export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const describeRole = useDescribeRole();
  const fmt = useFormat();
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('home.greeting', { name: me.displayName })}
        documentTitle={t('nav.home')}
        description={t('home.roles', { roles: fmt.list(me.roles.map(describeRole)) })}
      />
      <IncidentsGlance />
      {can('national.aggregates.read') ? (
        <NationalPicture />
      ) : can('entities.read') ? (
        <MyEntities />
      ) : (
        <Alert
          variant="light"
          color="blue"
          icon={<IconInfoCircle aria-hidden />}
          title={t('home.noAggregatesTitle')}
        >
          <Text size="sm">{t('home.noAggregates')}</Text>
        </Alert>
      )}
    </Stack>
  );
}

const MY_ENTITIES_SHOWN = 20;

/** For people who see named entities but not national figures (an entity's own staff, auditors). */
function MyEntities() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const label = useEntityLabel();
  const entities = useQuery({
    queryKey: ['entities', 'mine'],
    queryFn: () => unwrap(api.GET('/api/entities', { params: { query: { limit: MY_ENTITIES_SHOWN } } })),
  });
  const items = entities.data?.items ?? [];
  const more = Boolean(entities.data?.nextCursor);

  return (
    <Stack gap="md" component="section" aria-labelledby="my-entities">
      <Stack gap={2}>
        <Title order={2} size="h3" id="my-entities">
          {t('home.myEntities')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('home.myEntitiesHint')}
        </Text>
      </Stack>
      {entities.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h={108} radius="md" />
          <Skeleton h={108} radius="md" />
        </SimpleGrid>
      ) : entities.isError ? (
        <ErrorAlert
          error={entities.error}
          title={t('registry.loadFailed')}
          onRetry={() => void entities.refetch()}
          retrying={entities.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconDatabaseOff size={26} />}
          title={t('registry.emptyTitle')}
          description={t('registry.emptyBody')}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
          <StatCard
            label={t('home.totalEntities')}
            value={
              more
                ? t('home.moreThan', { count: items.length, formatted: fmt.number(items.length) })
                : fmt.number(items.length)
            }
            description={t('home.totalEntitiesHint')}
            icon={<IconBuildingCommunity size={22} />}
          />
          {items.slice(0, 5).map((e) => (
            <Paper key={e.id} p="md">
              <Stack gap={4}>
                <Text fw={700}>{label(e)}</Text>
                <Text size="sm" c="dimmed">
                  {names.sector(e.sector)} · {names.adminUnit(e.adminUnit)}
                </Text>
                <Text size="xs" c="dimmed" className="qila-code">
                  {e.registrationNo}
                </Text>
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <div>
        <Anchor component={Link} to="/registry" size="sm">
          {t('home.goToRegistry')}
        </Anchor>
      </div>
    </Stack>
  );
}

type Listed = Overview['byTier'][number];
const NONE: Listed = { key: '', count: 0, suppressed: false, reason: null };

function cellOf(list: Listed[], key: string): Listed {
  return list.find((x) => x.key === key) ?? NONE;
}

function NationalPicture() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const overview = useQuery({
    queryKey: ['registry', 'overview'],
    queryFn: () => unwrap(api.GET('/api/registry/overview')),
  });

  return (
    <Stack gap="md" component="section" aria-labelledby="national-picture">
      <Stack gap={2}>
        <Title order={2} size="h3" id="national-picture">
          {t('home.nationalPicture')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('home.nationalPictureHint')}
        </Text>
      </Stack>
      {overview.isPending ? (
        <OverviewSkeleton />
      ) : overview.isError ? (
        <ErrorAlert
          error={overview.error}
          title={t('home.overviewFailed')}
          onRetry={() => void overview.refetch()}
          retrying={overview.isFetching}
        />
      ) : overview.data.total === 0 ? (
        <EmptyState
          icon={<IconDatabaseOff size={26} />}
          title={t('home.emptyTitle')}
          description={t('home.emptyBody')}
        />
      ) : (
        <OverviewFigures data={overview.data} fmt={fmt} />
      )}
    </Stack>
  );
}

function OverviewSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={108} radius="md" />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Skeleton h={420} radius="md" />
        <Skeleton h={420} radius="md" />
      </SimpleGrid>
      <Skeleton h={300} radius="md" />
    </Stack>
  );
}

function OverviewFigures({ data, fmt }: { data: Overview; fmt: Formatters }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const rtl = languageOf(i18n.language).dir === 'rtl';
  const wide = useMediaQuery('(min-width: 48em)', true);
  const minCohort = data.disclosure.minCohort;
  const withheld = (c: Listed) =>
    c.suppressed ? <Withheld reason={c.reason} minCohort={minCohort} /> : undefined;
  const shown = (c: Listed) => withheld(c) ?? fmt.number(c.count ?? 0);
  const total = data.total ?? data.bySector.reduce((s, c) => s + (c.count ?? 0), 0);
  const reasons = [
    { suppressed: data.total === null, reason: data.totalReason },
    ...data.bySector,
    ...data.byAdminUnit,
    ...data.byTier,
  ].map((c) => (c.suppressed ? c.reason : null));
  // Withheld rows go last, in the server's order, so their place says nothing of their size.
  const rowsOf = (list: Listed[], label: (k: string) => string): ChartRow[] =>
    list
      .map((c) => ({ label: label(c.key), value: c.count ?? 0, display: withheld(c) }))
      .sort((a, b) => Number(!!a.display) - Number(!!b.display) || (a.display ? 0 : b.value - a.value));
  const bySector = rowsOf(data.bySector, names.sector);
  const byUnit = rowsOf(data.byAdminUnit, names.adminUnit);
  const byTier: ChartRow[] = TIERS.map((k) => ({
    label: t(`tiers.${k}`),
    value: cellOf(data.byTier, k).count ?? 0,
    color: cssColor(TIER_COLORS[k]),
    display: withheld(cellOf(data.byTier, k)),
  }));
  const tierMeanings = TIERS.map((k) => t(`tierHints.${k}`));

  const barChart = (rows: ChartRow[]) => (
    <BarChart
      h={rows.length * (wide ? 34 : 42) + 40}
      data={rows.filter((r) => !r.display).map((r) => ({ label: r.label, count: r.value }))}
      dataKey="label"
      orientation="vertical"
      series={[{ name: 'count', label: t('home.entities'), color: 'qila.6' }]}
      valueFormatter={fmt.number}
      gridAxis="x"
      withBarValueLabel
      // With the axis reversed for right-to-left, the bar's far end is still its "right" edge.
      valueLabelProps={{ position: 'right', fill: 'var(--mantine-color-gray-8)' }}
      maxBarWidth={22}
      xAxisProps={{ reversed: rtl }}
      yAxisProps={{
        width: wide ? 170 : 112,
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
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
        <StatCard
          label={t('home.totalEntities')}
          value={shown({
            key: '',
            count: data.total,
            suppressed: data.total === null,
            reason: data.totalReason,
          })}
          description={t('home.totalEntitiesHint')}
          icon={<IconBuildingCommunity size={22} />}
        />
        {(['1', '2', '3'] as const).map((k) => (
          <StatCard
            key={k}
            label={t(`tiers.${k}`)}
            value={shown(cellOf(data.byTier, k))}
            description={t(`tierHints.${k}`)}
            icon={<IconShieldCheck size={22} />}
            color={TIER_COLORS[k].split('.')[0]}
          />
        ))}
      </SimpleGrid>

      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title={t('home.bySector')}
            categoryLabel={t('registry.sector')}
            rows={bySector}
            total={total}
            format={fmt}
          >
            {barChart(bySector)}
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title={t('home.byAdminUnit')}
            categoryLabel={t('registry.adminUnit')}
            rows={byUnit}
            total={total}
            format={fmt}
          >
            {barChart(byUnit)}
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={12}>
          <ChartCard
            title={t('home.byTier')}
            description={t('home.byTierHint')}
            categoryLabel={t('registry.ciiTier')}
            rows={byTier}
            total={total}
            format={fmt}
          >
            <Group gap="xl" align="center" wrap="wrap">
              <DonutChart
                data={byTier.flatMap((r, i) =>
                  r.display ? [] : [{ name: r.label, value: r.value, color: TIER_COLORS[TIERS[i]!] }],
                )}
                size={200}
                thickness={34}
                withLabels
                withLabelsLine
                labelsType="value"
                valueFormatter={fmt.number}
                chartLabel={data.total === null ? '—' : fmt.number(data.total)}
                tooltipDataSource="segment"
                paddingAngle={1}
                mx="xl"
              />
              <TierLegend rows={byTier} meanings={tierMeanings} total={total} fmt={fmt} />
            </Group>
          </ChartCard>
        </Grid.Col>
      </Grid>
      <WithheldLegend reasons={reasons} minCohort={minCohort} />
    </Stack>
  );
}

/** Names every segment in words, with its count and share: colour is never the only key. */
function TierLegend(props: { rows: ChartRow[]; meanings: string[]; total: number; fmt: Formatters }) {
  const { rows, meanings, total, fmt } = props;
  return (
    <Paper withBorder={false} p={0} style={{ flex: 1, minWidth: 280, maxWidth: 640 }}>
      <Table withRowBorders={false} verticalSpacing={6} fz="sm">
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={r.label}>
              <Table.Td>
                <Group gap={8} wrap="nowrap">
                  <span className="qila-swatch" style={{ background: r.color }} aria-hidden />
                  <Text size="sm" fw={600}>
                    {r.label}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td c="dimmed" visibleFrom="sm">
                {meanings[i]}
              </Table.Td>
              <Table.Td ta="end">{r.display ?? fmt.number(r.value)}</Table.Td>
              <Table.Td ta="end" c="dimmed">
                {r.display ?? fmt.percent(total > 0 ? r.value / total : 0)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
