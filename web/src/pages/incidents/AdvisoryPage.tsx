import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconArrowLeft, IconDownload, IconSearchOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import { isObservableType } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TlpBadge } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

function BackToAdvisories() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/advisories" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {t('advisories.back')}
      </Group>
    </Anchor>
  );
}

/** One advisory: what to look out for, in which sectors, and its indicators as a STIX bundle. */
export function AdvisoryPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const { id = '' } = useParams();
  const advisory = useQuery({
    queryKey: ['advisory', id],
    queryFn: ({ signal }) => unwrap(api.GET('/api/advisories/{id}', { params: { path: { id } }, signal })),
  });
  if (advisory.isPending)
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={40} w="50%" />
        <Skeleton h={240} radius="md" />
      </Stack>
    );
  if (advisory.isError)
    return (
      <Stack gap="md">
        <BackToAdvisories />
        {advisory.error instanceof ApiError && advisory.error.status === 404 ? (
          <EmptyState
            icon={<IconSearchOff size={26} />}
            title={t('advisories.notFoundTitle')}
            description={t('advisories.notFound')}
          />
        ) : (
          <ErrorAlert
            error={advisory.error}
            onRetry={() => void advisory.refetch()}
            retrying={advisory.isFetching}
          />
        )}
      </Stack>
    );
  const a = advisory.data;
  return (
    <Stack gap="lg">
      <BackToAdvisories />
      <PageHeader
        title={a.title}
        description={t('advisories.published', { by: a.publishedBy, at: fmt.dateTime(a.publishedAt) })}
        actions={
          <Group gap="xs">
            <TlpBadge tlp={a.tlp} size="lg" />
            <Button
              component="a"
              href={`/api/advisories/${a.id}/stix`}
              download={`advisory-${a.id}.stix.json`}
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('advisories.downloadStix')}
            </Button>
          </Group>
        }
      />
      <Paper p="md">
        <Stack gap="sm">
          <Group gap={6}>
            <Text size="sm" fw={700}>
              {t('advisories.sectors')}
            </Text>
            {a.sectors.map((s) => (
              <Badge key={s} variant="light" color="qila.8" className="qila-badge-fit">
                {names.sector(s)}
              </Badge>
            ))}
          </Group>
          <Text style={{ whiteSpace: 'pre-wrap' }} dir="auto">
            {a.body}
          </Text>
          {a.sourceIncidentId && (
            <Text size="sm" c="dimmed">
              {t('advisories.fromIncident')}{' '}
              <Anchor component={Link} to={`/incidents/${a.sourceIncidentId}`}>
                {t('advisories.openIncident')}
              </Anchor>
            </Text>
          )}
        </Stack>
      </Paper>
      <Section
        id="advisory-indicators"
        title={t('advisories.indicators')}
        description={t('advisories.indicatorsHint')}
      >
        {a.indicators.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('advisories.noIndicators')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table striped fz="sm" data-testid="advisory-indicators">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('indicators.type')}</Table.Th>
                  <Table.Th scope="col">{t('indicators.value')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.indicators.map((x) => (
                  <Table.Tr key={`${x.type}|${x.value}`}>
                    <Table.Td>{isObservableType(x.type) ? t(`indicators.types.${x.type}`) : x.type}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <span className="qila-code" style={{ whiteSpace: 'normal' }}>
                        {x.value}
                      </span>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>
    </Stack>
  );
}
