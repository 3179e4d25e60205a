import '@mantine/charts/styles.css';
import { DonutChart } from '@mantine/charts';
import {
  Anchor,
  Grid,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconClockExclamation,
  IconGavel,
  IconMoodSmile,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import {
  AUDIT_STATUSES,
  AUDIT_STATUS_COLOR,
  COMPLIANCE_COLOR,
  COMPLIANCE_STATUSES,
  type Board,
} from '../../app/supervision';
import { ChartCard } from '../../components/ChartCard';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TierBadge } from '../../components/RegistryBadges';
import { StatCard } from '../../components/StatCard';
import { ComplianceBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';

const ALL = 'all';

/** A regulator's (or the Authority's) board: their entities by status, who needs attention, open work. */
export function BoardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const national = me.roles.some((r) => r.scopeKind === 'national');
  const mine = me.roles.filter((r) => r.scopeKind === 'sector' && r.scopeValue).map((r) => r.scopeValue!);
  const choices = national ? names.sectorOptions : names.sectorOptions.filter((o) => mine.includes(o.value));
  const sector = choices.some((o) => o.value === params.get('sector')) ? params.get('sector')! : null;
  const query = useQuery({
    queryKey: ['supervision', 'board', sector],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/supervision/board', { params: { query: { sector: sector ?? undefined } }, signal }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.board.title')}
        description={
          national ? t('supervision.board.descriptionNational') : t('supervision.board.description')
        }
        actions={
          (national || mine.length > 1) && (
            <Select
              label={t('registry.sector')}
              w={260}
              data={[
                { value: ALL, label: national ? t('registry.allSectors') : t('supervision.board.mySectors') },
                ...choices,
              ]}
              value={sector ?? ALL}
              onChange={(v) => setParams(v && v !== ALL ? { sector: v } : {}, { replace: true })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          )
        }
      />
      {query.isPending ? (
        <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Skeleton h={108} radius="md" />
            <Skeleton h={108} radius="md" />
            <Skeleton h={108} radius="md" />
          </SimpleGrid>
          <Skeleton h={320} radius="md" />
        </Stack>
      ) : query.isError ? (
        <ErrorAlert
          error={query.error}
          title={t('supervision.board.loadFailed')}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        <BoardFigures board={query.data} />
      )}
    </Stack>
  );
}

function BoardFigures({ board }: { board: Board }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const count = (s: string) => board.byStatus[s] ?? 0;
  const total = COMPLIANCE_STATUSES.reduce((n, s) => n + count(s), 0);
  const share = (s: string) =>
    t('supervision.board.share', { share: fmt.percent(total ? count(s) / total : 0) });
  const rows = COMPLIANCE_STATUSES.map((s) => ({
    label: t(`supervision.statuses.${s}`),
    value: count(s),
    color: `var(--mantine-color-${COMPLIANCE_COLOR[s].replace('.', '-')})`,
  }));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" data-testid="board-stats">
        <StatCard
          label={t('supervision.statuses.compliant')}
          value={fmt.number(count('compliant'))}
          description={share('compliant')}
          icon={<IconCircleCheck size={22} />}
          color="qila"
        />
        <StatCard
          label={t('supervision.statuses.at_risk')}
          value={fmt.number(count('at_risk'))}
          description={share('at_risk')}
          icon={<IconAlertTriangle size={22} />}
          color="orange"
        />
        <StatCard
          label={t('supervision.statuses.non_compliant')}
          value={fmt.number(count('non_compliant'))}
          description={share('non_compliant')}
          icon={<IconCircleX size={22} />}
          color="red"
        />
      </SimpleGrid>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 6, xl: 5 }}>
          <ChartCard
            title={t('supervision.board.byStatus')}
            description={t('supervision.board.byStatusHint', { count: total, formatted: fmt.number(total) })}
            categoryLabel={t('supervision.status')}
            rows={rows}
            total={total}
            format={fmt}
          >
            <Group justify="center" gap="xl">
              <DonutChart
                data={rows.map((r) => ({ name: r.label, value: r.value, color: r.color }))}
                size={180}
                thickness={30}
                withTooltip
                tooltipDataSource="segment"
                valueFormatter={fmt.number}
                chartLabel={fmt.number(total)}
                // The legend beside it reads the same figures; the drawing stays out of the tab order.
                pieChartProps={{ accessibilityLayer: false }}
                aria-hidden
              />
              <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                {rows.map((r) => (
                  <Group key={r.label} component="li" gap={8} wrap="nowrap">
                    <span className="qila-swatch" style={{ background: r.color }} aria-hidden />
                    <Text size="sm">
                      {r.label}: <b>{fmt.number(r.value)}</b>
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Group>
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, xl: 4 }}>
          <OpenAudits board={board} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 3 }}>
          <SimpleGrid cols={{ base: 1, sm: 2, xl: 1 }} spacing="md">
            <Anchor component={Link} to="/supervision/actions?overdue=true" underline="never" c="inherit">
              <StatCard
                label={t('supervision.board.overdueActions')}
                value={fmt.number(board.overdueActions)}
                description={t('supervision.board.overdueActionsHint')}
                icon={<IconClockExclamation size={22} />}
                color="red"
              />
            </Anchor>
            <Anchor component={Link} to="/supervision/cases" underline="never" c="inherit">
              <StatCard
                label={t('supervision.board.openCases')}
                value={fmt.number(board.openCases)}
                description={t('supervision.board.openCasesHint')}
                icon={<IconGavel size={22} />}
                color="grape"
              />
            </Anchor>
          </SimpleGrid>
        </Grid.Col>
      </Grid>
      <Attention board={board} />
    </Stack>
  );
}

function OpenAudits({ board }: { board: Board }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const open = AUDIT_STATUSES.filter((s) => s !== 'closed');
  const total = open.reduce((n, s) => n + (board.auditsByStatus[s] ?? 0), 0);
  const max = Math.max(1, ...open.map((s) => board.auditsByStatus[s] ?? 0));
  return (
    <Paper p="md" h="100%" component="section" aria-labelledby="open-audits">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h4" id="open-audits">
              {t('supervision.board.openAudits')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('supervision.board.openAuditsHint', { count: total, formatted: fmt.number(total) })}
            </Text>
          </Stack>
          <Anchor component={Link} to="/supervision/audits" size="sm">
            {t('supervision.board.allAudits')}
          </Anchor>
        </Group>
        <Stack gap={10} component="ul" m={0} p={0} style={{ listStyle: 'none' }} data-testid="open-audits">
          {open.map((s) => {
            const n = board.auditsByStatus[s] ?? 0;
            return (
              <Stack key={s} component="li" gap={2}>
                <Group justify="space-between" gap="xs">
                  <Anchor component={Link} to={`/supervision/audits?status=${s}`} size="sm">
                    {t(`supervision.auditStatuses.${s}`)}
                  </Anchor>
                  <Text size="sm" fw={700}>
                    {fmt.number(n)}
                  </Text>
                </Group>
                <Progress value={(n / max) * 100} color={AUDIT_STATUS_COLOR[s]} size="md" aria-hidden />
              </Stack>
            );
          })}
        </Stack>
      </Stack>
    </Paper>
  );
}

function Attention({ board }: { board: Board }) {
  const { t } = useTranslation();
  const names = useNames();
  // The worst status first, then the most critical tier (entities not designated last), then the name.
  const rank = (s: string) => (s === 'non_compliant' ? 0 : 1);
  const rows = [...board.attention].sort(
    (a, b) =>
      rank(a.status) - rank(b.status) ||
      (a.ciiTier ?? 9) - (b.ciiTier ?? 9) ||
      a.entityName.localeCompare(b.entityName),
  );
  if (!rows.length)
    return (
      <EmptyState
        icon={<IconMoodSmile size={26} />}
        title={t('supervision.board.noAttentionTitle')}
        description={t('supervision.board.noAttention')}
      />
    );
  return (
    <Paper p={0} component="section" aria-labelledby="attention" style={{ overflow: 'hidden' }}>
      <Stack gap={2} p="md" pb="xs">
        <Title order={2} size="h4" id="attention">
          {t('supervision.board.attention')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('supervision.board.attentionHint')}
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="attention">
          <VisuallyHidden component="caption">{t('supervision.board.attention')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('supervision.entity')}</Table.Th>
              <Table.Th scope="col">{t('registry.ciiTier')}</Table.Th>
              <Table.Th scope="col">{t('registry.sector')}</Table.Th>
              <Table.Th scope="col">{t('supervision.status')}</Table.Th>
              <Table.Th scope="col">{t('supervision.board.topFact')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.entityId} data-testid="attention-row">
                <Table.Th scope="row" style={{ minWidth: 200 }}>
                  <Anchor component={Link} to={`/supervision/entities/${a.entityId}`} size="sm" fw={600}>
                    <span lang="en" dir="auto">
                      {a.entityName}
                    </span>
                  </Anchor>
                </Table.Th>
                <Table.Td>
                  <TierBadge tier={a.ciiTier} />
                </Table.Td>
                <Table.Td>{names.sector(a.sector)}</Table.Td>
                <Table.Td>
                  <ComplianceBadge status={a.status} />
                </Table.Td>
                <Table.Td style={{ minWidth: 260 }}>
                  <Text size="sm" lang="en" dir="auto">
                    {a.topFact}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
