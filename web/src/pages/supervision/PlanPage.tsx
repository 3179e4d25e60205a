import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconPlus, IconRubberStamp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import { planKey, supervisionKey, type Plan, type PlanItem } from '../../app/supervision';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EntityPicker } from '../../components/EntityPicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TierBadge } from '../../components/RegistryBadges';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { RecordPage } from './LoadState';
import { useSupervisionNames } from './names';
import { PlanStatusBadge } from './PlansPage';

/** One audit plan: the candidates ranked by risk with the reasons, adjusted and approved by the Authority. */
export function PlanPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: planKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/supervision/plans/{id}', { params: { path: { id } }, signal })),
  });
  return (
    <RecordPage
      query={query}
      back={{ to: '/supervision/plans', label: t('supervision.plans.back') }}
      texts={{
        loadFailed: t('supervision.plans.loadOneFailed'),
        notFoundTitle: t('supervision.plans.notFoundTitle'),
        notFound: t('supervision.plans.notFound'),
      }}
    >
      {(record) => <PlanView plan={record} />}
    </RecordPage>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const draft = plan.status === 'draft';
  const over = plan.included > plan.capacity;
  const approve = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/supervision/plans/{id}/approve', {
          params: { path: { id: plan.id } },
          body: { version: plan.version },
        }),
      ),
    onSuccess: async (next) => {
      queryClient.setQueryData(planKey(plan.id), next);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: 'qila',
        message: t('supervision.plans.approvedNote', { count: next.included }),
      });
    },
  });
  return (
    <Stack gap="md">
      <PageHeader
        title={plan.name}
        description={
          <Group gap="xs" component="span" wrap="wrap">
            <span>
              {t('supervision.plans.periodRange', {
                from: fmt.date(plan.periodStart),
                to: fmt.date(plan.periodEnd),
              })}
            </span>
            <PlanStatusBadge status={plan.status} />
            {plan.approvedAt && (
              <span>
                {t('supervision.plans.approvedBy', {
                  by: plan.approvedBy ?? '',
                  at: fmt.dateTime(plan.approvedAt),
                })}
              </span>
            )}
          </Group>
        }
        actions={
          draft ? (
            <Button
              leftSection={<IconRubberStamp size={16} aria-hidden />}
              onClick={() => {
                approve.reset();
                setConfirming(true);
              }}
              disabled={plan.included === 0}
            >
              {t('supervision.plans.approve')}
            </Button>
          ) : (
            <Button component={Link} to="/supervision/audits?status=planned" variant="default">
              {t('supervision.plans.seeAudits')}
            </Button>
          )
        }
      />
      <Paper p="md" data-testid="plan-capacity">
        <Stack gap={6}>
          <Group justify="space-between" gap="xs">
            <Text fw={700}>
              {t('supervision.plans.includedOf', {
                included: fmt.number(plan.included),
                capacity: fmt.number(plan.capacity),
              })}
            </Text>
            {over && (
              <Badge color="orange.8" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
                {t('supervision.plans.overCapacity', { count: plan.included - plan.capacity })}
              </Badge>
            )}
          </Group>
          <Progress
            value={Math.min(100, (plan.included / Math.max(1, plan.capacity)) * 100)}
            color={over ? 'orange.7' : 'qila.7'}
            size="lg"
            aria-hidden
          />
          <Text size="sm" c="dimmed">
            {draft ? t('supervision.plans.draftHint') : t('supervision.plans.approvedHint')}
          </Text>
        </Stack>
      </Paper>
      {draft && <AddEntity plan={plan} />}
      <Candidates plan={plan} />
      <ConfirmModal
        opened={confirming}
        title={t('supervision.plans.approveTitle')}
        confirmLabel={t('supervision.plans.approveConfirm')}
        loading={approve.isPending}
        error={approve.isError ? approve.error : null}
        onConfirm={() => approve.mutate()}
        onClose={() => setConfirming(false)}
      >
        <Text size="sm">{t('supervision.plans.approveBody', { count: plan.included })}</Text>
        {over && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
            {t('supervision.plans.approveOver', {
              included: plan.included,
              capacity: plan.capacity,
            })}
          </Alert>
        )}
      </ConfirmModal>
    </Stack>
  );
}

/** The Authority may audit an entity the proposal left out: it is scored and added, included. */
function AddEntity({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [entityId, setEntityId] = useState<string | null>(null);
  const already = entityId !== null && plan.items.some((i) => i.entityId === entityId && i.included);
  const add = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.PUT('/api/supervision/plans/{id}/items/{entityId}', {
          params: { path: { id: plan.id, entityId: id } },
          body: { included: true },
        }),
      ),
    onSuccess: (next) => {
      queryClient.setQueryData(planKey(plan.id), next);
      setEntityId(null);
      notifications.show({ color: 'qila', message: t('supervision.plans.added') });
    },
  });
  return (
    <Paper p="md" data-testid="plan-add">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (entityId && !already) add.mutate(entityId);
        }}
      >
        <Stack gap="xs">
          {add.isError && <ErrorAlert error={add.error} />}
          <Group gap="sm" align="flex-end" wrap="wrap">
            <div style={{ flex: '1 1 320px' }}>
              <EntityPicker
                label={t('supervision.plans.addEntity')}
                value={entityId}
                onChange={setEntityId}
                error={already ? t('supervision.plans.alreadyIncluded') : undefined}
              />
            </div>
            <Button
              type="submit"
              variant="default"
              leftSection={<IconPlus size={16} aria-hidden />}
              loading={add.isPending}
              disabled={!entityId || already}
            >
              {t('supervision.plans.add')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('supervision.plans.addHint')}
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}

function Candidates({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  return (
    <Section
      id="candidates"
      title={t('supervision.plans.candidates')}
      description={t('supervision.plans.candidatesHint', { count: plan.items.length })}
    >
      <Table.ScrollContainer minWidth={900}>
        <Table fz="sm" verticalSpacing={8} highlightOnHover data-testid="plan-items">
          <VisuallyHidden component="caption">{t('supervision.plans.candidates')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={60}>
                {t('supervision.plans.include')}
              </Table.Th>
              <Table.Th scope="col" w={40}>
                #
              </Table.Th>
              <Table.Th scope="col">{t('supervision.entity')}</Table.Th>
              <Table.Th scope="col" w={150}>
                {t('supervision.plans.riskScore')}
              </Table.Th>
              <Table.Th scope="col">{t('supervision.plans.reasons')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.items.map((item, i) => (
              <CandidateRow
                key={item.entityId}
                plan={plan}
                item={item}
                rank={i + 1}
                top={plan.items[0]?.riskScore ?? 1}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}

function CandidateRow({ plan, item, rank, top }: { plan: Plan; item: PlanItem; rank: number; top: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const reasonName = useSupervisionNames().reason;
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (included: boolean) =>
      unwrap(
        api.PUT('/api/supervision/plans/{id}/items/{entityId}', {
          params: { path: { id: plan.id, entityId: item.entityId } },
          body: { included },
        }),
      ),
    // The box ticks at once; the server's answer (or the old plan, on failure) follows.
    onMutate: async (included) => {
      await queryClient.cancelQueries({ queryKey: planKey(plan.id) });
      const before = queryClient.getQueryData<Plan>(planKey(plan.id));
      queryClient.setQueryData<Plan>(
        planKey(plan.id),
        (prev) =>
          prev && {
            ...prev,
            included: prev.included + (included ? 1 : -1),
            items: prev.items.map((i) => (i.entityId === item.entityId ? { ...i, included } : i)),
          },
      );
      return { before };
    },
    onError: (_e, _v, context) =>
      context?.before && queryClient.setQueryData(planKey(plan.id), context.before),
    onSuccess: (next) => queryClient.setQueryData(planKey(plan.id), next),
  });
  return (
    <Table.Tr
      data-testid="plan-item"
      data-entity={item.entityId}
      data-included={item.included || undefined}
      bg={item.included ? 'var(--mantine-color-qila-0)' : undefined}
    >
      <Table.Td>
        <Checkbox
          aria-label={t('supervision.plans.includeEntity', { name: item.entityName })}
          checked={item.included}
          disabled={plan.status !== 'draft' || toggle.isPending}
          onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        />
      </Table.Td>
      <Table.Td c="dimmed">{fmt.number(rank)}</Table.Td>
      <Table.Th scope="row" style={{ minWidth: 220 }}>
        <Stack gap={2}>
          <Anchor component={Link} to={`/supervision/entities/${item.entityId}`} size="sm" fw={600}>
            <span lang="en" dir="auto">
              {item.entityName}
            </span>
          </Anchor>
          <Group gap={6}>
            <TierBadge tier={item.ciiTier} size="xs" />
            <Text size="xs" c="dimmed">
              {names.sector(item.sector)}
            </Text>
            {item.proposed && (
              <Badge size="xs" variant="outline" color="qila.7" className="qila-badge-fit">
                {t('supervision.plans.proposed')}
              </Badge>
            )}
          </Group>
          {toggle.isError && <ErrorAlert error={toggle.error} />}
        </Stack>
      </Table.Th>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text fw={700} w={44} ta="end">
            {fmt.number(item.riskScore)}
          </Text>
          <Progress
            value={(item.riskScore / Math.max(1, top)) * 100}
            color="orange.7"
            style={{ flex: 1 }}
            aria-hidden
          />
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="wrap">
          {item.reasons.map((r) => (
            <Badge
              key={r.label}
              variant="light"
              color="gray.7"
              radius="xl"
              tt="none"
              fw={500}
              className="qila-badge-fit"
              data-testid="reason"
            >
              {t('supervision.plans.reasonChip', {
                label: reasonName(r.label),
                points: fmt.number(r.points),
              })}
            </Badge>
          ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
