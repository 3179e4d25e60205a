import { Alert, Anchor, Box, Button, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import {
  IconArrowLeft,
  IconCircleCheck,
  IconDownload,
  IconLock,
  IconSearchOff,
  IconSpeakerphone,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useIncident, type Incident } from '../../app/incidents';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IncidentStatusBadge, LateBadge, SeverityBadge, TlpBadge } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { AboutCard } from './AboutCard';
import { AttachmentsCard } from './AttachmentsCard';
import { DutiesCard } from './DutiesCard';
import { HandlerPanel } from './HandlerPanel';
import { IncidentFacts } from './IncidentFacts';
import { ObservablesCard } from './ObservablesCard';
import { RfiCard } from './RfiCard';
import { TasksCard } from './TasksCard';
import { TimelineCard } from './TimelineCard';

export function BackToIncidents() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/incidents" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {t('incident.back')}
      </Group>
    </Anchor>
  );
}

export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const incident = useIncident(id);
  if (incident.isPending)
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={20} w={160} />
        <Skeleton h={40} w="50%" />
        <Skeleton h={220} radius="md" />
        <Skeleton h={160} radius="md" />
      </Stack>
    );
  if (incident.isError) {
    const notFound = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <Stack gap="md">
        <BackToIncidents />
        {notFound ? (
          <EmptyState
            icon={<IconSearchOff size={26} />}
            title={t('incident.notFoundTitle')}
            description={t('incident.notFound')}
          />
        ) : (
          <ErrorAlert
            error={incident.error}
            title={t('incident.loadFailed')}
            onRetry={() => void incident.refetch()}
            retrying={incident.isFetching}
          />
        )}
      </Stack>
    );
  }
  return <IncidentView incident={incident.data} />;
}

function IncidentView({ incident: i }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  // The confirmation shows once, on arrival from the report form; a reload does not repeat it.
  const [justReported] = useState(
    () => (location.state as { justReported?: string } | null)?.justReported === i.reference,
  );
  useEffect(() => {
    if (location.state) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const handler = i.allowedActions.includes('handle');
  // Only CLEAR, GREEN and AMBER material may become a sector advisory (never RED or AMBER+STRICT).
  const mayShare = handler && can('advisories.publish') && ['CLEAR', 'GREEN', 'AMBER'].includes(i.tlp);

  return (
    <Stack gap="lg">
      <BackToIncidents />
      <PageHeader
        title={i.restricted ? i.reference : i.title}
        documentTitle={i.reference}
        description={
          <Stack gap={6} component="span">
            <span>
              {/* A restricted incident's heading is its reference already. */}
              {!i.restricted && (
                <>
                  <span className="qila-code">{i.reference}</span> ·{' '}
                </>
              )}
              <span lang="en" dir="auto">
                {i.entityName}
              </span>{' '}
              · {t('incident.reportedAt', { at: fmt.dateTime(i.reportedAt) })}
            </span>
            <Group gap="xs" component="span" data-testid="incident-badges">
              <SeverityBadge severity={i.severity} size="lg" />
              <TlpBadge tlp={i.tlp} size="lg" />
              <IncidentStatusBadge status={i.status} size="lg" />
              {i.late && <LateBadge size="lg" />}
            </Group>
          </Stack>
        }
        actions={
          <Group gap="xs">
            {mayShare && (
              <Button
                component={Link}
                to={`/advisories/new?incident=${i.id}`}
                variant="default"
                size="sm"
                leftSection={<IconSpeakerphone size={16} aria-hidden />}
              >
                {t('incident.shareAsAdvisory')}
              </Button>
            )}
            {i.allowedActions.includes('export') && (
              <Button
                component="a"
                href={`/api/incidents/${i.id}/stix`}
                download={`${i.reference}.stix.json`}
                variant="default"
                size="sm"
                leftSection={<IconDownload size={16} aria-hidden />}
              >
                {t('incident.exportStix')}
              </Button>
            )}
          </Group>
        }
      />

      {justReported && (
        <Alert
          color="qila"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={t('incident.reportedTitle')}
        >
          <Text size="sm">{t('incident.reportedBody', { reference: i.reference })}</Text>
        </Alert>
      )}
      {i.restricted && (
        <Alert color="red" variant="filled" icon={<IconLock aria-hidden />} data-testid="restricted-banner">
          <Text size="sm" fw={700}>
            {t('incident.restricted', { tlp: i.tlp })}
          </Text>
          <Text size="sm">{t('incident.restrictedBody')}</Text>
        </Alert>
      )}

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <DutiesCard incident={i} />
            {!i.restricted && (
              <>
                <RfiCard incident={i} />
                <IncidentFacts incident={i} />
                <ObservablesCard incident={i} />
                <TimelineCard incident={i} />
                <AttachmentsCard incident={i} />
              </>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {handler && (
              <>
                <HandlerPanel incident={i} />
                <TasksCard incident={i} />
              </>
            )}
            <Box>
              <AboutCard incident={i} />
            </Box>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
