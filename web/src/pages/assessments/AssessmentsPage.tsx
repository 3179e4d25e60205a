import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconChecklist, IconClipboardOff, IconInfoCircle, IconRocket } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import {
  STATUSES,
  STATUS_COLOR,
  useCampaigns,
  useFrameworks,
  type AssessmentSummary,
  type Campaign,
} from '../../app/assessments';
import { useAuth } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { StatusBadge, useScoreText } from '../../components/AssessmentBadges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { CampaignFormModal } from './CampaignFormModal';

/**
 * Assessments: for the Authority and regulators, the campaigns; for an entity's people, their
 * own assessments.
 */
export function AssessmentsPage() {
  const { can } = useAuth();
  const [params] = useSearchParams();
  // The overdue notification links here with the campaign and "overdue".
  const campaign = params.get('campaign');
  if (campaign && /^[0-9a-f-]{36}$/i.test(campaign)) {
    const status = params.get('status');
    return (
      <Navigate
        to={`/assessments/campaigns/${campaign}${status ? `?status=${encodeURIComponent(status)}` : ''}`}
        replace
      />
    );
  }
  const overseer = can('national.aggregates.read') || can('assessments.manage');
  return overseer ? <CampaignsView /> : <MyAssessmentsView />;
}

function CampaignsView() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mayList = can('assessments.read');
  const campaigns = useCampaigns(mayList);
  const [launching, setLaunching] = useState(false);
  const mayLaunch = can('assessments.manage');

  return (
    <Stack gap="md">
      <PageHeader
        title={t('assessments.title')}
        description={t('assessments.campaignsDescription')}
        actions={
          mayLaunch && (
            <Button leftSection={<IconRocket size={16} aria-hidden />} onClick={() => setLaunching(true)}>
              {t('assessments.launch')}
            </Button>
          )
        }
      />
      {!mayList ? (
        <EmptyState
          icon={<IconInfoCircle size={26} />}
          title={t('assessments.noListTitle')}
          description={t('assessments.noListBody')}
        />
      ) : campaigns.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 2 }} aria-busy="true" aria-label={t('common.loading')}>
          {Array.from({ length: 2 }, (_, i) => (
            <Skeleton key={i} h={220} radius="md" />
          ))}
        </SimpleGrid>
      ) : campaigns.isError ? (
        <ErrorAlert
          error={campaigns.error}
          title={t('assessments.campaignsFailed')}
          onRetry={() => void campaigns.refetch()}
          retrying={campaigns.isFetching}
        />
      ) : campaigns.data.items.length === 0 ? (
        <EmptyState
          icon={<IconClipboardOff size={26} />}
          title={t('assessments.noCampaignsTitle')}
          description={t('assessments.noCampaignsBody')}
          action={
            mayLaunch ? (
              <Button variant="light" onClick={() => setLaunching(true)}>
                {t('assessments.launch')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <SimpleGrid
          cols={{ base: 1, md: 2 }}
          spacing="md"
          component="ul"
          m={0}
          p={0}
          style={{ listStyle: 'none' }}
          aria-label={t('assessments.campaigns')}
        >
          {campaigns.data.items.map((c) => (
            <Box component="li" key={c.id}>
              <CampaignCard campaign={c} />
            </Box>
          ))}
        </SimpleGrid>
      )}
      {mayLaunch && <CampaignFormModal opened={launching} onClose={() => setLaunching(false)} />}
    </Stack>
  );
}

/** How many assessments are at each status: a stacked bar, and the same counts in words. */
export function ProgressBreakdown({ progress }: { progress: Record<string, number> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const total = STATUSES.reduce((s, k) => s + (progress[k] ?? 0), 0);
  return (
    <Stack gap={6}>
      <Progress.Root size={14} aria-hidden>
        {STATUSES.map((k) =>
          progress[k] ? (
            <Tooltip key={k} label={`${t(`assessments.statuses.${k}`)}: ${fmt.number(progress[k])}`}>
              <Progress.Section value={total ? (progress[k] / total) * 100 : 0} color={STATUS_COLOR[k]} />
            </Tooltip>
          ) : null,
        )}
      </Progress.Root>
      <Group gap="md" wrap="wrap" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {STATUSES.map((k) => (
          <Group key={k} component="li" gap={6} wrap="nowrap">
            <span
              className="qila-swatch"
              style={{ background: `var(--mantine-color-${STATUS_COLOR[k].replace('.', '-')})` }}
              aria-hidden
            />
            <Text size="sm">
              {t(`assessments.statuses.${k}`)}: <strong>{fmt.number(progress[k] ?? 0)}</strong>
            </Text>
          </Group>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        {t('assessments.entitiesInCampaign', { count: total, formatted: fmt.number(total) })}
      </Text>
    </Stack>
  );
}

/** A framework id as its name, in the interface language when known. */
export function useFrameworkName(): (id: string) => string {
  const { i18n } = useTranslation();
  const frameworks = useFrameworks();
  return (id) => {
    const f = frameworks.data?.items.find((x) => x.id === id);
    if (!f) return id;
    return i18n.language === 'ur' && f.nameUr ? f.nameUr : f.nameEn;
  };
}

function CampaignCard({ campaign: c }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const frameworkName = useFrameworkName();
  const titleId = `campaign-${c.id}`;
  return (
    <Paper p="md" h="100%" component="article" aria-labelledby={titleId}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Title order={2} size="h4" id={titleId} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={`/assessments/campaigns/${c.id}`} inherit dir="auto">
              {c.name}
            </Anchor>
          </Title>
          <CampaignStatus campaign={c} />
        </Group>
        {c.description && (
          <Text size="sm" c="dimmed" lineClamp={2} dir="auto">
            {c.description}
          </Text>
        )}
        <Text size="sm">
          {t('assessments.dates', { opens: fmt.date(c.opensOn), due: fmt.date(c.dueOn) })}
          {c.graceDays > 0 && ` · ${t('assessments.grace', { count: c.graceDays })}`}
        </Text>
        <Text size="sm" c="dimmed">
          {t('assessments.frameworksList', { list: fmt.list(c.frameworks.map(frameworkName)) })}
        </Text>
        <ProgressBreakdown progress={c.progress} />
      </Stack>
    </Paper>
  );
}

/** "Open" or "Past due", from the dates: the server keeps campaigns open for late submissions. */
export function CampaignStatus({
  campaign: c,
}: {
  campaign: Pick<Campaign, 'status' | 'dueOn' | 'opensOn'>;
}) {
  const { t } = useTranslation();
  const today = new Date().toISOString().slice(0, 10);
  if (c.status !== 'open')
    return (
      <Badge color="gray.7" variant="outline" className="qila-badge-fit">
        {c.status}
      </Badge>
    );
  if (today > c.dueOn)
    return (
      <Badge color="gray.7" className="qila-badge-fit">
        {t('assessments.campaignPastDue')}
      </Badge>
    );
  if (today < c.opensOn)
    return (
      <Badge color="blue.7" variant="outline" className="qila-badge-fit">
        {t('assessments.campaignUpcoming')}
      </Badge>
    );
  return (
    <Badge color="qila.7" className="qila-badge-fit">
      {t('assessments.campaignOpen')}
    </Badge>
  );
}

function MyAssessmentsView() {
  const { t } = useTranslation();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const assessments = useQuery({
    queryKey: ['assessments', 'mine'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/assessments', { params: { query: { limit: 200 } }, signal })),
  });
  return (
    <Stack gap="md">
      <PageHeader title={t('assessments.title')} description={t('assessments.mineDescription')} />
      {assessments.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} h={36} />
            ))}
          </Stack>
        </Paper>
      ) : assessments.isError ? (
        <ErrorAlert
          error={assessments.error}
          title={t('assessments.listFailed')}
          onRetry={() => void assessments.refetch()}
          retrying={assessments.isFetching}
        />
      ) : assessments.data.items.length === 0 ? (
        <EmptyState
          icon={<IconChecklist size={26} />}
          title={t('assessments.noneTitle')}
          description={t('assessments.noneBody')}
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <AssessmentList items={assessments.data.items} wide={wide} show="campaign" />
        </Paper>
      )}
    </Stack>
  );
}

/** Assessments as a table (wide screens) or cards (phones), each linking to its page. */
export function AssessmentList({
  items,
  wide,
  show,
}: {
  items: AssessmentSummary[];
  wide: boolean;
  /** What names each row: the campaign (an entity's own list) or the entity (a campaign's list). */
  show: 'campaign' | 'entity';
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const scoreText = useScoreText();
  const title = (a: AssessmentSummary) => (show === 'campaign' ? a.campaignName : a.entityName);
  if (!wide) {
    return (
      <Stack
        gap={0}
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label={t('assessments.listLabel')}
      >
        {items.map((a) => (
          <Box
            component="li"
            key={a.id}
            px="md"
            py="sm"
            style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
          >
            <Stack gap={4}>
              <Anchor
                component={Link}
                to={`/assessments/${a.id}`}
                fw={700}
                lang={show === 'entity' ? 'en' : undefined}
              >
                {title(a)}
              </Anchor>
              {show === 'campaign' ? (
                <Text size="xs" c="dimmed" lang="en">
                  {a.entityName}
                </Text>
              ) : (
                <Text size="xs" c="dimmed">
                  {names.sector(a.sector)}
                </Text>
              )}
              <Group gap="xs">
                <StatusBadge status={a.status} />
                <Text size="sm">{t('assessments.scoreShort', { score: scoreText(a.score) })}</Text>
                <Text size="xs" c="dimmed">
                  {t('assessments.dueShort', { date: fmt.date(a.dueOn) })}
                </Text>
              </Group>
            </Stack>
          </Box>
        ))}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover fz="sm" verticalSpacing={8}>
        <VisuallyHidden component="caption">{t('assessments.listLabel')}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              {show === 'campaign' ? t('assessments.campaign') : t('assessments.entity')}
            </Table.Th>
            <Table.Th scope="col">
              {show === 'campaign' ? t('assessments.entity') : t('registry.sector')}
            </Table.Th>
            <Table.Th scope="col">{t('assessments.status')}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t('assessments.score')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('assessments.submissionsCol')}
            </Table.Th>
            <Table.Th scope="col">{t('assessments.due')}</Table.Th>
            <Table.Th scope="col">{t('assessments.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Th scope="row" fw={600}>
                <Anchor
                  component={Link}
                  to={`/assessments/${a.id}`}
                  size="sm"
                  fw={600}
                  lang={show === 'entity' ? 'en' : undefined}
                >
                  {title(a)}
                </Anchor>
              </Table.Th>
              <Table.Td>
                {show === 'campaign' ? <span lang="en">{a.entityName}</span> : names.sector(a.sector)}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={a.status} />
              </Table.Td>
              <Table.Td ta="end">
                {a.score === null ? (
                  <>
                    <span aria-hidden>–</span>
                    <VisuallyHidden>{t('assessments.noScore')}</VisuallyHidden>
                  </>
                ) : (
                  fmt.number(a.score)
                )}
              </Table.Td>
              <Table.Td ta="end">{fmt.number(a.submissions)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(a.dueOn)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {fmt.dateTime(a.updatedAt, names.jurisdiction?.timeZone)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
