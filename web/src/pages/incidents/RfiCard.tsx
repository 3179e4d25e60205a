import { Badge, Button, Group, Paper, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconHelpCircle, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { fromLocalInput } from '../../app/datetime';
import { incidentKey, type Incident } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Countdown } from '../../components/IncidentBadges';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

type Rfi = Incident['rfis'][number];

/**
 * Requests for information: the CERT asks, the entity answers. Open questions come first, each
 * with a reply box for the entity.
 */
export function RfiCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const handler = incident.allowedActions.includes('handle');
  const mayReply = incident.allowedActions.includes('reply');
  const rfis = [...incident.rfis].sort((a, b) => Number(a.answer !== null) - Number(b.answer !== null));
  if (!rfis.length && !handler) return null;
  const open = rfis.filter((r) => r.answer === null).length;
  return (
    <Section
      id="rfis"
      title={t('rfis.title')}
      description={mayReply && open ? t('rfis.openForEntity', { count: open }) : t('rfis.description')}
    >
      {rfis.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('rfis.none')}
        </Text>
      )}
      {rfis.map((r) => (
        <RfiItem key={r.id} incident={incident} rfi={r} mayReply={mayReply} />
      ))}
      {handler && <AskForm incident={incident} />}
    </Section>
  );
}

function RfiItem({ incident, rfi: r, mayReply }: { incident: Incident; rfi: Rfi; mayReply: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const reply = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/incidents/{id}/rfis/{rfiId}/reply', {
          params: { path: { id: incident.id, rfiId: r.id } },
          body: { answer: answer.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) });
      notifications.show({ color: 'qila', message: t('rfis.replied') });
    },
  });
  const open = r.answer === null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="rfi" data-open={open || undefined}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <Group gap={6} wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            <IconHelpCircle size={18} aria-hidden style={{ flex: 'none', marginTop: 2 }} />
            <Text size="sm" fw={600} style={{ whiteSpace: 'pre-wrap' }} dir="auto">
              {r.question}
            </Text>
          </Group>
          <Badge
            color={open ? 'orange.8' : 'qila.7'}
            variant={open ? 'filled' : 'light'}
            className="qila-badge-fit"
          >
            {open ? t('rfis.open') : t('rfis.answered')}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {t('rfis.asked', { by: r.askedBy, at: fmt.dateTime(r.askedAt) })}
          {r.dueAt && <> · {t('rfis.due', { at: fmt.dateTime(r.dueAt) })} </>}
          {open && r.dueAt && <Countdown dueAt={r.dueAt} size="xs" />}
        </Text>
        {r.answer !== null ? (
          <Stack gap={2} ps="md" style={{ borderInlineStart: '3px solid var(--mantine-color-qila-3)' }}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
              {r.answer}
            </Text>
            <Text size="xs" c="dimmed">
              {t('rfis.answeredBy', { by: r.answeredBy ?? '', at: fmt.dateTime(r.answeredAt ?? '') })}
            </Text>
          </Stack>
        ) : (
          mayReply && (
            <Stack
              gap="xs"
              component="form"
              onSubmit={(e) => {
                e.preventDefault();
                if (!answer.trim()) return setError(t('rfis.answerRequired'));
                setError(null);
                reply.mutate();
              }}
            >
              {reply.isError && <ErrorAlert error={reply.error} />}
              <Textarea
                label={t('rfis.yourAnswer')}
                autosize
                minRows={2}
                maxLength={5000}
                value={answer}
                onChange={(e) => setAnswer(e.currentTarget.value)}
                error={error}
              />
              <Group justify="flex-end">
                <Button
                  type="submit"
                  size="xs"
                  loading={reply.isPending}
                  leftSection={<IconSend size={14} aria-hidden />}
                >
                  {t('rfis.reply')}
                </Button>
              </Group>
            </Stack>
          )
        )}
      </Stack>
    </Paper>
  );
}

function AskForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [question, setQuestion] = useState('');
  const [due, setDue] = useState('');
  const [errors, setErrors] = useState<{ question?: string; due?: string }>({});
  const ask = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/incidents/{id}/rfis', {
          params: { path: { id: incident.id } },
          body: { question: question.trim(), dueAt: fromLocalInput(due) },
        }),
      ),
    onSuccess: async () => {
      setQuestion('');
      setDue('');
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) });
      notifications.show({ color: 'qila', message: t('rfis.sent') });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        const next: typeof errors = {};
        if (!question.trim()) next.question = t('rfis.questionRequired');
        const at = fromLocalInput(due);
        if (due && (!at || new Date(at).getTime() <= Date.now())) next.due = t('rfis.dueFuture');
        setErrors(next);
        if (!next.question && !next.due) ask.mutate();
      }}
      pt="sm"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      {ask.isError && <ErrorAlert error={ask.error} />}
      <Textarea
        label={t('rfis.question')}
        description={t('rfis.questionHint')}
        autosize
        minRows={2}
        maxLength={3000}
        value={question}
        onChange={(e) => setQuestion(e.currentTarget.value)}
        error={errors.question}
      />
      <Group align="flex-end" justify="space-between" gap="sm">
        <TextInput
          type="datetime-local"
          label={t('rfis.dueLabel')}
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
          error={errors.due}
        />
        <Button
          type="submit"
          size="xs"
          loading={ask.isPending}
          leftSection={<IconSend size={14} aria-hidden />}
        >
          {t('rfis.ask')}
        </Button>
      </Group>
    </Stack>
  );
}
