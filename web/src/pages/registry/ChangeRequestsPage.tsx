import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconGitPullRequest, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { entityKey, type ChangeRequest, type EntityDetail } from '../../app/registry';
import { ChangeList } from '../../components/ChangeList';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { BackToRegistry } from './EntityPage';

const STATUSES = ['pending', 'approved', 'rejected'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (s: string | null): s is Status => (STATUSES as readonly (string | null)[]).includes(s);
/** Entities read for the "old → new" view of pending requests; beyond these, only new values show. */
const MAX_LOOKUPS = 40;

export function ChangeRequestsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: Status = isStatus(raw) ? raw : 'pending';
  return (
    <Stack gap="md">
      <BackToRegistry />
      <PageHeader title={t('changes.title')} description={t('changes.description')} />
      <Tabs
        value={status}
        onChange={(v) => setParams(v && v !== 'pending' ? { status: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {STATUSES.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`changes.statuses.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {STATUSES.map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            <RequestList status={s} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function RequestList({ status }: { status: Status }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<{ cr: ChangeRequest; decision: 'approve' | 'reject' } | null>(
    null,
  );
  const list = useQuery({
    queryKey: ['registry', 'change-requests', status],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/registry/change-requests', { params: { query: { status } }, signal })),
  });
  const items = list.data?.items ?? [];
  // Pending requests have not changed their entity yet: its current values are the "old" ones.
  const ids = status === 'pending' ? [...new Set(items.map((i) => i.entityId))].slice(0, MAX_LOOKUPS) : [];
  const entities = useQueries({
    queries: ids.map((id) => ({
      queryKey: entityKey(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET('/api/entities/{id}', { params: { path: { id } }, signal })),
    })),
  });
  const byId = new Map<string, EntityDetail>();
  entities.forEach((q, i) => {
    if (q.data) byId.set(ids[i]!, q.data);
  });

  if (list.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={120} radius="md" />
        <Skeleton h={120} radius="md" />
      </Stack>
    );
  }
  if (list.isError) {
    return (
      <ErrorAlert
        error={list.error}
        title={t('changes.loadFailed')}
        onRetry={() => void list.refetch()}
        retrying={list.isFetching}
      />
    );
  }
  if (items.length === 0) {
    return (
      <EmptyState
        icon={<IconGitPullRequest size={26} />}
        title={t(`changes.emptyList.${status}`)}
        description={status === 'pending' ? t('changes.emptyPendingBody') : undefined}
      />
    );
  }
  return (
    <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      {items.map((cr) => (
        <RequestCard
          key={cr.id}
          cr={cr}
          entity={byId.get(cr.entityId)}
          onDecide={(decision) => setDeciding({ cr, decision })}
        />
      ))}
      <DecisionModal deciding={deciding} onClose={() => setDeciding(null)} />
    </Stack>
  );
}

function RequestCard({
  cr,
  entity,
  onDecide,
}: {
  cr: ChangeRequest;
  entity: EntityDetail | undefined;
  onDecide: (d: 'approve' | 'reject') => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const headingId = `cr-${cr.id}`;
  return (
    <Paper component="li" p="md" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Stack gap={2}>
            <Anchor component={Link} to={`/registry/${cr.entityId}`} fw={700} id={headingId} lang="en">
              {cr.entityName}
            </Anchor>
            <Text size="xs" c="dimmed">
              {t('changes.requestedBy', { who: cr.requestedBy, when: fmt.dateTime(cr.createdAt) })}
            </Text>
          </Stack>
          <Badge
            variant={cr.status === 'pending' ? 'outline' : 'light'}
            color={cr.status === 'approved' ? 'qila' : cr.status === 'rejected' ? 'red.8' : 'orange.8'}
            className="qila-badge-fit"
          >
            {t(`changes.statuses.${cr.status}`)}
          </Badge>
        </Group>
        <ChangeList changes={cr.changes} entity={cr.status === 'pending' ? entity : undefined} />
        <Text size="sm">
          {cr.reason ? (
            t('changes.reason', { reason: cr.reason })
          ) : (
            <Text span c="dimmed" size="sm">
              {t('changes.noReason')}
            </Text>
          )}
        </Text>
        {cr.decidedAt && (
          <Text size="sm" c="dimmed">
            {t(cr.status === 'approved' ? 'changes.approvedBy' : 'changes.rejectedBy', {
              who: cr.decidedBy ?? '',
              when: fmt.dateTime(cr.decidedAt),
            })}
            {cr.decisionNote ? ` — ${cr.decisionNote}` : ''}
          </Text>
        )}
        {cr.allowedActions.length > 0 && (
          <Group gap="xs" justify="flex-end">
            {cr.allowedActions.includes('reject') && (
              <Button
                variant="default"
                color="red"
                leftSection={<IconX size={16} aria-hidden />}
                onClick={() => onDecide('reject')}
                aria-label={t('changes.rejectFor', { name: cr.entityName })}
              >
                {t('changes.reject')}
              </Button>
            )}
            {cr.allowedActions.includes('approve') && (
              <Button
                leftSection={<IconCheck size={16} aria-hidden />}
                onClick={() => onDecide('approve')}
                aria-label={t('changes.approveFor', { name: cr.entityName })}
              >
                {t('changes.approve')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function DecisionModal({
  deciding,
  onClose,
}: {
  deciding: { cr: ChangeRequest; decision: 'approve' | 'reject' } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (d: { cr: ChangeRequest; decision: 'approve' | 'reject'; note: string }) =>
      unwrap(
        api.POST('/api/registry/change-requests/{id}/decision', {
          params: { path: { id: d.cr.id } },
          body: { decision: d.decision, note: d.note.trim() || null },
        }),
      ),
    onSuccess: async (_r, d) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['registry'] }),
        queryClient.invalidateQueries({ queryKey: ['entities'] }),
        queryClient.invalidateQueries({ queryKey: entityKey(d.cr.entityId) }),
      ]);
      notifications.show({
        color: 'qila',
        title: d.decision === 'approve' ? t('changes.approvedTitle') : t('changes.rejectedTitle'),
        message: t(d.decision === 'approve' ? 'changes.approved' : 'changes.rejected', {
          name: d.cr.entityName,
        }),
      });
      close();
    },
  });
  const close = () => {
    decide.reset();
    setNote('');
    setNoteError(null);
    onClose();
  };
  const approving = deciding?.decision === 'approve';
  return (
    <Modal
      opened={deciding !== null}
      onClose={close}
      title={approving ? t('changes.approveTitle') : t('changes.rejectTitle')}
      size="lg"
    >
      {deciding && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!approving && !note.trim()) {
              setNoteError(t('changes.noteRequired'));
              return;
            }
            decide.mutate({ ...deciding, note });
          }}
        >
          <Stack gap="md">
            <Text size="sm">
              {approving
                ? t('changes.approveBody', { name: deciding.cr.entityName })
                : t('changes.rejectBody', { name: deciding.cr.entityName })}
            </Text>
            <Paper p="sm" bg="gray.0" withBorder={false}>
              <ChangeList changes={deciding.cr.changes} />
            </Paper>
            {decide.isError && <ErrorAlert error={decide.error} title={t('changes.decideFailed')} />}
            <Textarea
              label={t('changes.note')}
              description={approving ? t('changes.noteHintApprove') : t('changes.noteHintReject')}
              required={!approving}
              autosize
              minRows={3}
              maxLength={1000}
              value={note}
              onChange={(e) => {
                setNote(e.currentTarget.value);
                setNoteError(null);
              }}
              error={noteError}
              data-autofocus
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('actions.cancel')}
              </Button>
              <Button type="submit" color={approving ? undefined : 'red'} loading={decide.isPending}>
                {approving ? t('changes.approve') : t('changes.reject')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
