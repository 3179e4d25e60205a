import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconFileCheck, IconFileDescription, IconLock, IconPlayerPlay, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { auditKey, supervisionKey, type Audit } from '../../app/supervision';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

type Step = 'start' | 'issue_preliminary' | 'respond' | 'close';

/** A step that moves the audit on, for whoever may take it now (the lead auditor, the entity, the regulator). */
function useStep(audit: Audit) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: Step) => {
      const params = { path: { id: audit.id } };
      switch (step) {
        case 'start':
          return unwrap(api.POST('/api/supervision/audits/{id}/start', { params }));
        case 'issue_preliminary':
          return unwrap(api.POST('/api/supervision/audits/{id}/preliminary', { params }));
        case 'respond':
          return unwrap(api.POST('/api/supervision/audits/{id}/respond', { params }));
        case 'close':
          return unwrap(api.POST('/api/supervision/audits/{id}/close', { params }));
      }
    },
    onSuccess: async (next) => {
      queryClient.setQueryData(auditKey(audit.id), next);
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
    },
  });
}

/** What the person looking at the audit can do next to move it along. */
export function AuditProgressCard({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const step = useStep(audit);
  const [confirm, setConfirm] = useState<Step | null>(null);
  const may = (a: string) => audit.allowedActions.includes(a);
  const unanswered = audit.findings.filter((f) => !f.entityResponse).length;
  const steps = ['start', 'issue_preliminary', 'respond', 'issue_final', 'close'].filter(may);
  if (!steps.length) return null;
  const dueIfNow = new Date(Date.now() + audit.responseDays * 86_400_000).toISOString();

  return (
    <Section id="next-step" title={t('supervision.audits.nextStep')}>
      {step.isError && !confirm && <ErrorAlert error={step.error} />}
      {may('start') && (
        <Stack gap="xs">
          <Text size="sm">{t('supervision.audits.startHint')}</Text>
          <Group>
            <Button
              leftSection={<IconPlayerPlay size={16} aria-hidden />}
              loading={step.isPending}
              onClick={() => step.mutate('start')}
            >
              {t('supervision.audits.start')}
            </Button>
          </Group>
        </Stack>
      )}
      {may('issue_preliminary') && (
        <Stack gap="xs">
          <Text size="sm">
            {t('supervision.audits.preliminaryHint', {
              count: audit.findings.length,
              days: audit.responseDays,
            })}
          </Text>
          <Group>
            <Button
              leftSection={<IconFileDescription size={16} aria-hidden />}
              onClick={() => {
                step.reset();
                setConfirm('issue_preliminary');
              }}
            >
              {t('supervision.audits.issuePreliminary')}
            </Button>
          </Group>
        </Stack>
      )}
      {may('respond') && (
        <Stack gap="xs" data-testid="send-response">
          <Text size="sm" fw={unanswered ? 700 : undefined} c={unanswered ? 'orange.9' : undefined}>
            {unanswered
              ? t('supervision.audits.unanswered', { count: unanswered })
              : t('supervision.audits.allAnswered')}
          </Text>
          <Group>
            <Button
              leftSection={<IconSend size={16} aria-hidden />}
              disabled={unanswered > 0}
              onClick={() => {
                step.reset();
                setConfirm('respond');
              }}
            >
              {t('supervision.audits.sendResponse')}
            </Button>
          </Group>
        </Stack>
      )}
      {may('issue_final') && <FinalReportForm audit={audit} />}
      {may('close') && (
        <Stack gap="xs">
          <Text size="sm">{t('supervision.audits.closeHint')}</Text>
          <Group>
            <Button
              variant="default"
              leftSection={<IconLock size={16} aria-hidden />}
              onClick={() => {
                step.reset();
                setConfirm('close');
              }}
            >
              {t('supervision.audits.close')}
            </Button>
          </Group>
        </Stack>
      )}
      <ConfirmModal
        opened={confirm !== null}
        title={
          confirm === 'respond'
            ? t('supervision.audits.sendResponseTitle')
            : confirm === 'close'
              ? t('supervision.audits.closeTitle')
              : t('supervision.audits.issuePreliminaryTitle')
        }
        confirmLabel={
          confirm === 'respond'
            ? t('supervision.audits.sendResponse')
            : confirm === 'close'
              ? t('supervision.audits.close')
              : t('supervision.audits.issuePreliminary')
        }
        loading={step.isPending}
        error={step.isError ? step.error : null}
        onConfirm={() =>
          confirm &&
          step.mutate(confirm, {
            onSuccess: () => {
              notifications.show({ color: 'qila', message: t(`supervision.audits.done.${confirm}`) });
              setConfirm(null);
            },
          })
        }
        onClose={() => setConfirm(null)}
      >
        <Text size="sm">
          {confirm === 'respond'
            ? t('supervision.audits.sendResponseBody')
            : confirm === 'close'
              ? t('supervision.audits.closeBody')
              : t('supervision.audits.issuePreliminaryBody', {
                  days: audit.responseDays,
                  date: fmt.dateTime(dueIfNow),
                })}
        </Text>
      </ConfirmModal>
    </Section>
  );
}

function FinalReportForm({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const issue = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/supervision/audits/{id}/final', {
          params: { path: { id: audit.id } },
          body: { summary: summary.trim() },
        }),
      ),
    onSuccess: async (next) => {
      queryClient.setQueryData(auditKey(audit.id), next);
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({ color: 'qila', message: t('supervision.audits.done.issue_final') });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!summary.trim()) return setError(t('supervision.audits.summaryRequired'));
        setError(null);
        issue.mutate();
      }}
    >
      {issue.isError && <ErrorAlert error={issue.error} />}
      <Textarea
        label={t('supervision.audits.finalSummary')}
        description={t('supervision.audits.finalSummaryHint')}
        autosize
        minRows={3}
        maxLength={10000}
        value={summary}
        onChange={(e) => setSummary(e.currentTarget.value)}
        error={error}
      />
      <Group justify="flex-end">
        <Button type="submit" loading={issue.isPending} leftSection={<IconFileCheck size={16} aria-hidden />}>
          {t('supervision.audits.issueFinal')}
        </Button>
      </Group>
    </Stack>
  );
}
