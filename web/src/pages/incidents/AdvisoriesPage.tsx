import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconPlus, IconSpeakerphone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import type { Advisory } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TlpBadge } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';

export const advisoriesKey = ['advisories'] as const;

/** Advisories for the reader's sectors (all, for national roles), newest first. */
export function AdvisoriesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const advisories = useQuery({
    queryKey: advisoriesKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/advisories', { signal })),
  });
  const mayPublish = can('advisories.publish');
  return (
    <Stack gap="md">
      <PageHeader
        title={t('advisories.title')}
        description={t('advisories.description')}
        actions={
          mayPublish && (
            <Button component={Link} to="/advisories/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('advisories.publish')}
            </Button>
          )
        }
      />
      {advisories.isPending ? (
        <SimpleGrid cols={{ base: 1, md: 2 }} aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h={180} radius="md" />
          <Skeleton h={180} radius="md" />
        </SimpleGrid>
      ) : advisories.isError ? (
        <ErrorAlert
          error={advisories.error}
          title={t('advisories.loadFailed')}
          onRetry={() => void advisories.refetch()}
          retrying={advisories.isFetching}
        />
      ) : advisories.data.length === 0 ? (
        <EmptyState
          icon={<IconSpeakerphone size={26} />}
          title={t('advisories.emptyTitle')}
          description={t('advisories.emptyBody')}
          action={
            mayPublish ? (
              <Button component={Link} to="/advisories/new" variant="light">
                {t('advisories.publish')}
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
          aria-label={t('advisories.title')}
        >
          {advisories.data.map((a) => (
            <Box component="li" key={a.id}>
              <AdvisoryCard advisory={a} />
            </Box>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function AdvisoryCard({ advisory: a }: { advisory: Advisory }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const titleId = `advisory-${a.id}`;
  return (
    <Paper p="md" h="100%" component="article" aria-labelledby={titleId} data-testid="advisory-card">
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Title order={2} size="h4" id={titleId} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={`/advisories/${a.id}`} inherit dir="auto">
              {a.title}
            </Anchor>
          </Title>
          <TlpBadge tlp={a.tlp} />
        </Group>
        <Text size="sm" lineClamp={3} dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
          {a.body}
        </Text>
        <Group gap={6} mt="auto">
          {a.sectors.map((s) => (
            <Badge key={s} variant="light" color="qila.8" className="qila-badge-fit">
              {names.sector(s)}
            </Badge>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {t('advisories.published', { by: a.publishedBy, at: fmt.dateTime(a.publishedAt) })} ·{' '}
          {t('advisories.indicatorCount', {
            count: a.indicators.length,
            formatted: fmt.number(a.indicators.length),
          })}
        </Text>
      </Stack>
    </Paper>
  );
}
