import {
  Anchor,
  Box,
  Button,
  Grid,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import {
  IconArrowLeft,
  IconCalendarSearch,
  IconExternalLink,
  IconGauge,
  IconPencil,
  IconSearchOff,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import {
  isDesignation,
  isEntityKind,
  isSize,
  localName,
  useEntity,
  type EntityDetail,
} from '../../app/registry';
import { ChangeList } from '../../components/ChangeList';
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DesignationBadge, TierBadge } from '../../components/RegistryBadges';
import { useFormat } from '../../i18n/format';
import { EntityAssets } from './EntityAssets';
import { EntityContacts } from './EntityContacts';
import { EntityFormModal } from './EntityFormModal';

export function BackToRegistry() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/registry" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {t('entity.backToRegistry')}
      </Group>
    </Anchor>
  );
}

export function EntityPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const entity = useEntity(id);
  useDocumentTitle(`${entity.data?.nameEn ?? t('entity.title')} · ${t('app.name')}`);

  if (entity.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={20} w={160} />
        <Skeleton h={40} w="60%" />
        <Skeleton h={24} w="40%" />
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Skeleton h={320} radius="md" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Skeleton h={320} radius="md" />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }
  if (entity.isError) {
    const notFound = entity.error instanceof ApiError && entity.error.status === 404;
    return (
      <Stack gap="md">
        <BackToRegistry />
        {notFound ? (
          <EmptyState
            icon={<IconSearchOff size={26} />}
            title={t('entity.notFoundTitle')}
            description={t('entity.notFound')}
          />
        ) : (
          <ErrorAlert
            error={entity.error}
            title={t('entity.loadFailed')}
            onRetry={() => void entity.refetch()}
            retrying={entity.isFetching}
          />
        )}
      </Stack>
    );
  }
  return <EntityView entity={entity.data} reload={async () => (await entity.refetch()).data} />;
}

function EntityView({
  entity: e,
  reload,
}: {
  entity: EntityDetail;
  reload: () => Promise<EntityDetail | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [editing, setEditing] = useState(false);
  const may = (a: EntityDetail['allowedActions'][number]) => e.allowedActions.includes(a);
  const primary = localName(e, i18n.language);
  const secondary = primary === e.nameEn ? e.nameUr : e.nameEn;
  const editMode = may('edit') ? 'edit' : may('requestChange') ? 'requestChange' : null;

  return (
    <Stack gap="lg">
      <BackToRegistry />
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 420px' }}>
          <Title order={1} size="h2" lang={primary === e.nameEn ? 'en' : 'ur'}>
            {primary}
          </Title>
          {secondary && (
            // An inline span keeps the other script's direction while the line follows the page's.
            <Text size="lg" c="dimmed">
              <span
                lang={secondary === e.nameEn ? 'en' : 'ur'}
                dir={secondary === e.nameEn ? 'ltr' : 'rtl'}
                style={{ unicodeBidi: 'isolate' }}
              >
                {secondary}
              </span>
            </Text>
          )}
          <Group gap="xs" wrap="wrap">
            <Text size="sm" c="dimmed">
              {t('registry.registrationNo')} <span className="qila-code">{e.registrationNo}</span>
            </Text>
            <TierBadge tier={e.ciiTier} long />
            <DesignationBadge designation={e.designation} />
            {e.status !== 'active' && (
              <Text size="sm" fw={700} c="red.8">
                {t('entity.status', { status: e.status })}
              </Text>
            )}
          </Group>
        </Stack>
        <Group gap="xs">
          {editMode && (
            <Button
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden />}
              onClick={() => setEditing(true)}
            >
              {editMode === 'edit' ? t('entity.edit') : t('entity.requestChange')}
            </Button>
          )}
          {can('supervision.read') && !can('supervision.audit') && (
            <Button
              component={Link}
              to={`/supervision/entities/${e.id}`}
              variant="default"
              leftSection={<IconShieldCheck size={16} aria-hidden />}
            >
              {t('entity.compliance')}
            </Button>
          )}
          {may('grade') && (
            <Button
              component={Link}
              to={`/registry/${e.id}/grade`}
              leftSection={<IconGauge size={16} aria-hidden />}
            >
              {t('entity.grade')}
            </Button>
          )}
        </Group>
      </Group>

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Profile entity={e} />
            {/* Beside the designation on wide screens; after it on narrow ones. */}
            <Box visibleFrom="md">
              <PendingChanges id="entity-pending" entity={e} showLink={can('entities.manage')} />
            </Box>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <DesignationSection entity={e} />
        </Grid.Col>
      </Grid>
      <Box hiddenFrom="md">
        <PendingChanges id="entity-pending-narrow" entity={e} showLink={can('entities.manage')} />
      </Box>

      <EntityContacts entity={e} />
      <EntityAssets entity={e} />

      {editMode && (
        <EntityFormModal
          mode={editMode}
          opened={editing}
          onClose={() => setEditing(false)}
          entity={e}
          onReload={reload}
        />
      )}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed" fw={700}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} mt={2} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function Profile({ entity: e }: { entity: EntityDetail }) {
  const { t } = useTranslation();
  const names = useNames();
  const fmt = useFormat();
  const none = (
    <Text component="span" size="sm" c="dimmed">
      {t('entity.none')}
    </Text>
  );
  return (
    <Section id="entity-profile" title={t('entity.profile')}>
      <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="sm" m={0}>
        <Field label={t('registry.kind')}>{isEntityKind(e.kind) ? t(`kinds.${e.kind}`) : e.kind}</Field>
        <Field label={t('entityForm.size')}>{isSize(e.size) ? t(`sizes.${e.size}`) : e.size}</Field>
        <Field label={t('registry.sector')}>{names.sector(e.sector)}</Field>
        <Field label={t('registry.subsector')}>{names.subsector(e.subsector)}</Field>
        <Field label={t('registry.adminUnit')}>{names.adminUnit(e.adminUnit)}</Field>
        <Field label={t('registry.regulator')}>
          {names.regulator(e.regulator)} (<span className="qila-code">{e.regulator}</span>)
        </Field>
        <Field label={t('entityForm.turnover', { currency: names.jurisdiction?.currency ?? '' })}>
          {e.annualTurnover !== null ? (
            <span dir="ltr" style={{ unicodeBidi: 'isolate' }}>
              {fmt.money(e.annualTurnover, names.jurisdiction?.currency)}
            </span>
          ) : (
            none
          )}
        </Field>
        <Field label={t('entityForm.website')}>
          {e.website ? (
            <Anchor href={e.website} target="_blank" rel="noopener noreferrer" size="sm" dir="ltr">
              {e.website.replace(/^https?:\/\//, '')}
              <IconExternalLink size={12} style={{ marginInlineStart: 4 }} aria-hidden />
            </Anchor>
          ) : (
            none
          )}
        </Field>
        <Field label={t('entity.parent')}>
          {e.parent ? (
            <Anchor component={Link} to={`/registry/${e.parent.id}`} size="sm" lang="en">
              {e.parent.nameEn}
            </Anchor>
          ) : (
            none
          )}
        </Field>
        <Field label={t('entity.subsidiaries', { count: e.subsidiaries.length })}>
          {e.subsidiaries.length ? (
            <Box component="ul" m={0} ps="md">
              {e.subsidiaries.map((s) => (
                <li key={s.id}>
                  <Anchor component={Link} to={`/registry/${s.id}`} size="sm" lang="en">
                    {s.nameEn}
                  </Anchor>
                </li>
              ))}
            </Box>
          ) : (
            none
          )}
        </Field>
        <Field label={t('entity.registered')}>{fmt.dateTime(e.createdAt)}</Field>
        <Field label={t('entity.updated')}>{fmt.dateTime(e.updatedAt)}</Field>
      </SimpleGrid>
    </Section>
  );
}

/** "Tier 1 · Essential" for a designation record. */
function useDesignationTitle(): (tier: number | null, designation: string | null) => string {
  const { t } = useTranslation();
  return (tier, designation) => {
    const d =
      designation && isDesignation(designation) ? t(`designations.${designation}`) : (designation ?? '');
    return tier === null
      ? t('entity.designationNoTier', { designation: d })
      : t('entity.designationTier', { tier, designation: d });
  };
}

function Explanation({ text }: { text: string }) {
  // The server explains in English; in another language it stays readable left to right.
  return (
    <Text size="sm" lang="en" dir="ltr" ta="start" style={{ unicodeBidi: 'isolate' }}>
      {text}
    </Text>
  );
}

function DesignationSection({ entity: e }: { entity: EntityDetail }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const title = useDesignationTitle();
  const current = e.designationHistory[0];
  const history = e.designationHistory;
  return (
    <Section id="entity-designation" title={t('entity.designation')}>
      <Stack gap="xs">
        <Group gap="xs">
          <TierBadge tier={e.ciiTier} long size="lg" />
          <DesignationBadge designation={e.designation} size="lg" />
        </Group>
        {current && (
          <>
            <Text size="xs" c="dimmed">
              {t('entity.inForceSince', { date: fmt.date(current.effectiveFrom) })}
            </Text>
            <Explanation text={current.explanation} />
          </>
        )}
      </Stack>

      <DesignationAt entityId={e.id} />

      <Title order={3} size="h5" mt="xs" id="designation-history">
        {t('entity.history', { count: history.length })}
      </Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('entity.noHistory')}
        </Text>
      ) : (
        <Timeline
          active={0}
          bulletSize={18}
          lineWidth={2}
          aria-labelledby="designation-history"
          component="ol"
          style={{ listStyle: 'none', paddingInlineStart: 0 }}
          data-testid="designation-timeline"
        >
          {history.map((d) => (
            <Timeline.Item
              key={d.id}
              component="li"
              title={
                <Text fw={700} size="sm">
                  {title(d.ciiTier, d.designation)}
                </Text>
              }
            >
              <Text size="xs" c="dimmed">
                {d.effectiveTo
                  ? t('entity.period', { from: fmt.date(d.effectiveFrom), to: fmt.date(d.effectiveTo) })
                  : t('entity.periodOpen', { from: fmt.date(d.effectiveFrom) })}
              </Text>
              <Explanation text={d.explanation} />
              <Text size="xs" c="dimmed" mt={2}>
                {[
                  t('entity.decidedBy', { who: d.decidedBy }),
                  d.score !== null ? t('entity.score', { score: fmt.number(d.score) }) : null,
                  d.ruleSet ? t('entity.ruleSet', { version: d.ruleSet }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

/** "What was in force on…": the designation on a chosen day. */
function DesignationAt({ entityId }: { entityId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const title = useDesignationTitle();
  const [date, setDate] = useState('');
  const [at, setAt] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const result = useQuery({
    queryKey: ['entity', entityId, 'designation-at', at],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/entities/{id}/designation', {
          params: { path: { id: entityId }, query: { at: at! } },
          signal,
        }),
      ),
    enabled: at !== null,
  });
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(date);
    setInvalid(!ok);
    if (ok) setAt(date);
  };
  return (
    <Box component="form" onSubmit={submit} noValidate bg="gray.0" p="sm" style={{ borderRadius: 8 }}>
      <Stack gap="xs">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <TextInput
            type="date"
            label={t('entity.atLabel')}
            description={t('entity.atHint')}
            value={date}
            onChange={(ev) => setDate(ev.currentTarget.value)}
            error={invalid ? t('entity.atInvalid') : undefined}
            style={{ flex: '1 1 180px' }}
          />
          <Button
            type="submit"
            variant="default"
            leftSection={<IconCalendarSearch size={16} aria-hidden />}
            loading={result.isFetching}
          >
            {t('entity.atShow')}
          </Button>
        </Group>
        <div aria-live="polite">
          {at && result.isError && <ErrorAlert error={result.error} />}
          {at && result.data && (
            <Stack gap={2} data-testid="designation-at">
              <Text size="sm" fw={700}>
                {result.data.designation === null
                  ? t('entity.atNone', { date: fmt.date(result.data.date) })
                  : t('entity.atResult', {
                      date: fmt.date(result.data.date),
                      designation: title(result.data.ciiTier, result.data.designation),
                    })}
              </Text>
              {result.data.effectiveFrom && (
                <Text size="xs" c="dimmed">
                  {t('entity.inForceSince', { date: fmt.date(result.data.effectiveFrom) })}
                </Text>
              )}
              {result.data.designation !== null && <Explanation text={result.data.explanation} />}
            </Stack>
          )}
        </div>
      </Stack>
    </Box>
  );
}

function PendingChanges({
  id,
  entity: e,
  showLink,
}: {
  id: string;
  entity: EntityDetail;
  showLink: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Section
      id={id}
      title={t('entity.pendingTitle')}
      description={t('entity.pendingHint')}
      actions={
        showLink && e.pendingChanges.length > 0 ? (
          <Anchor component={Link} to="/registry/changes" size="sm">
            {t('entity.decideChanges')}
          </Anchor>
        ) : undefined
      }
    >
      {e.pendingChanges.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('entity.noPending')}
        </Text>
      ) : (
        <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {e.pendingChanges.map((cr) => (
            <Box component="li" key={cr.id} p="sm" bg="yellow.0" style={{ borderRadius: 8 }}>
              <Text size="xs" c="dimmed" mb={4}>
                {t('changes.requestedBy', { who: cr.requestedBy, when: fmt.dateTime(cr.createdAt) })}
              </Text>
              <ChangeList changes={cr.changes} entity={e} />
              {cr.reason && (
                <Text size="sm" mt={4}>
                  {t('changes.reason', { reason: cr.reason })}
                </Text>
              )}
            </Box>
          ))}
        </Stack>
      )}
    </Section>
  );
}
