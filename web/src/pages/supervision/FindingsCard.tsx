import { Badge, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconMessageReply, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { auditKey, type Audit, type Finding } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SeverityBadge } from '../../components/IncidentBadges';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { ActionForm } from './ActionForm';
import { ActionItem } from './ActionItem';

/** The findings, each with the entity's answer and its corrective actions. */
export function FindingsCard({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const mayRespond = audit.allowedActions.includes('respond');
  return (
    <Section
      id="findings"
      title={t('supervision.findings.title')}
      description={mayRespond ? t('supervision.findings.introEntity') : t('supervision.findings.intro')}
    >
      {audit.findings.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.findings.none')}
        </Text>
      ) : (
        audit.findings.map((f, i) => <FindingItem key={f.id} audit={audit} finding={f} n={i + 1} />)
      )}
    </Section>
  );
}

function FindingItem({ audit, finding: f, n }: { audit: Audit; finding: Finding; n: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const mayRespond = audit.allowedActions.includes('respond');
  const mayAddAction = audit.allowedActions.includes('add_action') && f.status !== 'closed';
  const mayVerify = audit.allowedActions.includes('verify');
  return (
    <Paper withBorder p="md" radius="md" data-testid="finding" data-finding={f.id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Text size="xs" c="dimmed" fw={700}>
                {t('supervision.findings.number', { n })}
              </Text>
              <SeverityBadge severity={f.severity} />
              {f.itemId && (
                <Text size="xs" className="qila-code" c="dimmed">
                  {f.itemId}
                </Text>
              )}
            </Group>
            <Text fw={700} dir="auto">
              {f.title}
            </Text>
          </Stack>
          <Badge
            color={f.status === 'closed' ? 'qila.7' : 'orange.8'}
            variant={f.status === 'closed' ? 'filled' : 'light'}
            className="qila-badge-fit"
          >
            {f.status === 'closed' ? t('supervision.findings.closed') : t('supervision.findings.open')}
          </Badge>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
          {f.description}
        </Text>
        {f.entityResponse && !mayRespond && (
          <Stack gap={2} ps="md" style={{ borderInlineStart: '3px solid var(--mantine-color-qila-3)' }}>
            <Text size="xs" fw={700}>
              {t('supervision.findings.entityAnswer')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
              {f.entityResponse}
            </Text>
            {f.respondedAt && (
              <Text size="xs" c="dimmed">
                {fmt.dateTime(f.respondedAt)}
              </Text>
            )}
          </Stack>
        )}
        {mayRespond && <ResponseForm audit={audit} finding={f} />}
        {(f.actions.length > 0 || mayAddAction) && (
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {t('supervision.findings.actions', { count: f.actions.length })}
            </Text>
            {f.actions.map((a) => (
              <ActionItem
                key={a.id}
                action={a}
                mayUpdate={can('supervision.respond')}
                mayVerify={mayVerify}
              />
            ))}
            {mayAddAction &&
              (adding ? (
                <ActionForm findingId={f.id} onDone={() => setAdding(false)} />
              ) : (
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() => setAdding(true)}
                  >
                    {t('supervision.actions.add')}
                  </Button>
                </Group>
              ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** The entity's answer to one finding; it can be changed until the response is sent. */
function ResponseForm({ audit, finding: f }: { audit: Audit; finding: Finding }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState(f.entityResponse ?? '');
  const [error, setError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/supervision/findings/{id}/response', {
          params: { path: { id: f.id } },
          body: { response: text.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: auditKey(audit.id) });
      notifications.show({ color: 'qila', message: t('supervision.findings.answerSaved') });
    },
  });
  const saved = f.entityResponse !== null && text.trim() === f.entityResponse;
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return setError(t('supervision.findings.answerRequired'));
        setError(null);
        send.mutate();
      }}
    >
      {send.isError && <ErrorAlert error={send.error} />}
      <Textarea
        label={t('supervision.findings.yourAnswer')}
        description={t('supervision.findings.yourAnswerHint')}
        autosize
        minRows={2}
        maxLength={5000}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={error}
      />
      <Group justify="space-between">
        <Text size="xs" c={saved ? 'qila.8' : 'dimmed'} fw={saved ? 600 : undefined}>
          {saved
            ? t('supervision.findings.answerIsSaved')
            : f.entityResponse
              ? t('supervision.findings.answerChanged')
              : ''}
        </Text>
        <Button
          type="submit"
          size="xs"
          loading={send.isPending}
          disabled={saved}
          leftSection={<IconMessageReply size={14} aria-hidden />}
        >
          {f.entityResponse ? t('supervision.findings.updateAnswer') : t('supervision.findings.saveAnswer')}
        </Button>
      </Group>
    </Stack>
  );
}
