import { Button, Checkbox, Collapse, FileButton, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconPaperclip, IconProgress, IconSend, IconX } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ATTACHMENT_ACCEPT, uploadFile } from '../../api/upload';
import { supervisionKey, type CorrectiveAction } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FileLink } from '../../components/FileLink';
import { ActionStatusBadge } from '../../components/SupervisionBadges';
import { useFileSize, useFormat } from '../../i18n/format';
import { ActionDue, MilestoneCount } from './ActionDue';

/**
 * One corrective action: its due date (red once past), status and progress. The entity reports
 * progress, attaches evidence and submits it; the lead auditor or the regulator verifies or rejects.
 */
export function ActionItem({
  action: a,
  mayUpdate,
  mayVerify,
  context,
}: {
  action: CorrectiveAction;
  mayUpdate: boolean;
  mayVerify: boolean;
  /** What the action belongs to, for lists that mix audits and entities. */
  context?: ReactNode;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [reporting, setReporting] = useState(false);
  const open = a.status !== 'verified';
  return (
    <Paper withBorder p="sm" radius="md" data-testid="action" data-action={a.id} data-status={a.status}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            {context}
            <Text size="sm" fw={700} dir="auto">
              {a.title}
            </Text>
            <Text size="xs" c="dimmed">
              {t('supervision.actions.ownerIs')} <span dir="auto">{a.owner}</span>
            </Text>
          </Stack>
          <ActionStatusBadge status={a.status} />
        </Group>
        <Group gap="md" wrap="wrap">
          <ActionDue action={a} />
          <MilestoneCount milestones={a.milestones} />
        </Group>
        {a.milestones.length > 0 && !reporting && (
          <Stack gap={2} component="ul" m={0} ps="md">
            {a.milestones.map((m, i) => (
              <Text key={i} component="li" size="xs" td={m.done ? 'line-through' : undefined}>
                <span dir="auto">{m.title}</span> · {fmt.date(m.dueOn)}
                {m.done && ` · ${t('supervision.actions.milestoneDone')}`}
              </Text>
            ))}
          </Stack>
        )}
        {a.progressNote && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
            <Text span size="sm" fw={600}>
              {t('supervision.actions.progress')}:
            </Text>{' '}
            {a.progressNote}
          </Text>
        )}
        {a.reviewComment && (
          <Text size="sm" c={a.status === 'rejected' ? 'red.8' : undefined} dir="auto">
            <Text span size="sm" fw={600}>
              {t('supervision.actions.reviewComment')}:
            </Text>{' '}
            {a.reviewComment}
          </Text>
        )}
        {a.evidence.length > 0 && <EvidenceList action={a} />}
        {a.verifiedAt && (
          <Text size="xs" c="dimmed">
            {t('supervision.actions.verifiedBy', { by: a.verifiedBy ?? '', at: fmt.dateTime(a.verifiedAt) })}
          </Text>
        )}
        {mayUpdate && open && (
          <>
            <Group gap="xs">
              {a.status !== 'submitted' && (
                <Button
                  size="xs"
                  variant={reporting ? 'filled' : 'light'}
                  leftSection={<IconProgress size={14} aria-hidden />}
                  onClick={() => setReporting((r) => !r)}
                  aria-expanded={reporting}
                >
                  {t('supervision.actions.report')}
                </Button>
              )}
              <EvidenceButton actionId={a.id} />
            </Group>
            {a.status === 'submitted' && (
              <Text size="xs" c="dimmed">
                {t('supervision.actions.awaitingVerification')}
              </Text>
            )}
            <Collapse in={reporting}>
              {reporting && <ProgressForm action={a} onDone={() => setReporting(false)} />}
            </Collapse>
          </>
        )}
        {mayVerify && a.status === 'submitted' && <VerifyForm action={a} />}
      </Stack>
    </Paper>
  );
}

function ProgressForm({ action: a, onDone }: { action: CorrectiveAction; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [note, setNote] = useState(a.progressNote ?? '');
  const [done, setDone] = useState(a.milestones.map((m) => m.done));
  const save = useMutation({
    mutationFn: (status: 'in_progress' | 'submitted') =>
      unwrap(
        api.PATCH('/api/supervision/actions/{id}', {
          params: { path: { id: a.id } },
          body: {
            version: a.version,
            status,
            progressNote: note.trim() || null,
            milestones: a.milestones.map((m, i) => ({ ...m, done: done[i] ?? m.done })),
          },
        }),
      ),
    onSuccess: async (_r, status) => {
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: 'qila',
        message: status === 'submitted' ? t('supervision.actions.submitted') : t('supervision.actions.saved'),
      });
      onDone();
    },
  });
  return (
    <Stack gap="xs" pt="xs" data-testid="progress-form">
      {save.isError && <ErrorAlert error={save.error} />}
      {a.milestones.length > 0 && (
        <Stack gap={4}>
          {a.milestones.map((m, i) => (
            <Checkbox
              key={i}
              label={
                <>
                  <span dir="auto">{m.title}</span> · {fmt.date(m.dueOn)}
                </>
              }
              checked={done[i] ?? false}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                setDone((d) => d.map((x, j) => (j === i ? checked : x)));
              }}
            />
          ))}
        </Stack>
      )}
      <Textarea
        label={t('supervision.actions.progressNote')}
        description={t('supervision.actions.progressNoteHint')}
        autosize
        minRows={2}
        maxLength={5000}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <Group justify="flex-end" gap="xs">
        <Button
          size="xs"
          variant="default"
          loading={save.isPending && save.variables === 'in_progress'}
          onClick={() => save.mutate('in_progress')}
        >
          {t('supervision.actions.saveProgress')}
        </Button>
        <Button
          size="xs"
          loading={save.isPending && save.variables === 'submitted'}
          leftSection={<IconSend size={14} aria-hidden />}
          onClick={() => save.mutate('submitted')}
        >
          {t('supervision.actions.submit')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The evidence the entity attached, each file downloadable by whoever may read the action. */
function EvidenceList({ action: a }: { action: CorrectiveAction }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const size = useFileSize();
  return (
    <Stack
      gap={4}
      component="ul"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
      aria-label={t('supervision.actions.evidence')}
    >
      {a.evidence.map((e) => (
        <Group key={e.id} component="li" gap="xs" wrap="wrap">
          <FileLink href={`/api/supervision/actions/${a.id}/evidence/${e.id}`} fileName={e.fileName} />
          <Text size="xs" c="dimmed">
            {size(e.sizeBytes)} · {t('attachments.by', { by: e.uploadedBy, at: fmt.dateTime(e.uploadedAt) })}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** Evidence goes in one file at a time; the server keeps it with its SHA-256 and lists it on the action. */
function EvidenceButton({ actionId }: { actionId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const resetRef = useRef<() => void>(null);
  const attach = useMutation({
    mutationFn: (file: File) =>
      uploadFile<{ fileName: string }>(
        `/api/supervision/actions/${encodeURIComponent(actionId)}/evidence`,
        file,
      ),
    onSettled: () => resetRef.current?.(),
    onSuccess: async (e) => {
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: 'qila',
        message: t('supervision.actions.evidenceAttached', { name: e.fileName }),
      });
    },
  });
  return (
    <>
      <FileButton onChange={(f) => f && attach.mutate(f)} accept={ATTACHMENT_ACCEPT} resetRef={resetRef}>
        {(p) => (
          <Button
            {...p}
            size="xs"
            variant="default"
            loading={attach.isPending}
            leftSection={<IconPaperclip size={14} aria-hidden />}
          >
            {t('supervision.actions.attachEvidence')}
          </Button>
        )}
      </FileButton>
      {attach.isError && <ErrorAlert error={attach.error} title={t('attachments.failed')} />}
    </>
  );
}

function VerifyForm({ action: a }: { action: CorrectiveAction }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const verify = useMutation({
    mutationFn: (decision: 'verified' | 'rejected') =>
      unwrap(
        api.POST('/api/supervision/actions/{id}/verify', {
          params: { path: { id: a.id } },
          body: { decision, comment: comment.trim() || null },
        }),
      ),
    onSuccess: async (_r, decision) => {
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: decision === 'verified' ? 'qila' : 'orange',
        message:
          decision === 'verified'
            ? t('supervision.actions.verifiedNote')
            : t('supervision.actions.rejectedNote'),
      });
    },
  });
  return (
    <Stack
      gap="xs"
      pt="xs"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
      data-testid="verify-form"
    >
      {verify.isError && <ErrorAlert error={verify.error} />}
      <Textarea
        label={t('supervision.actions.verifyComment')}
        description={t('supervision.actions.verifyCommentHint')}
        autosize
        minRows={2}
        maxLength={3000}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        error={error}
      />
      <Group justify="flex-end" gap="xs">
        <Button
          size="xs"
          color="red.8"
          variant="light"
          leftSection={<IconX size={14} aria-hidden />}
          loading={verify.isPending && verify.variables === 'rejected'}
          onClick={() => {
            // A rejection says what is missing.
            if (!comment.trim()) return setError(t('supervision.actions.rejectNeedsComment'));
            setError(null);
            verify.mutate('rejected');
          }}
        >
          {t('supervision.actions.reject')}
        </Button>
        <Button
          size="xs"
          leftSection={<IconCheck size={14} aria-hidden />}
          loading={verify.isPending && verify.variables === 'verified'}
          onClick={() => verify.mutate('verified')}
        >
          {t('supervision.actions.verify')}
        </Button>
      </Group>
    </Stack>
  );
}
