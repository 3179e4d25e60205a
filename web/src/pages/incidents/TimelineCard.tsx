import { Badge, Button, Group, Stack, Switch, Text, Textarea, Timeline } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconLock, IconMessage } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { incidentKey, type Incident } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

/** What happened to the report, oldest first; internal notes are marked (only handlers see them). */
export function TimelineCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const handler = incident.allowedActions.includes('handle');
  return (
    <Section id="timeline" title={t('timeline.title')} description={t('timeline.description')}>
      {incident.timeline.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline.none')}
        </Text>
      ) : (
        <Timeline bulletSize={22} lineWidth={2} active={incident.timeline.length - 1} data-testid="timeline">
          {incident.timeline.map((e) => (
            <Timeline.Item
              key={e.id}
              bullet={e.internal ? <IconLock size={12} aria-hidden /> : undefined}
              color={e.internal ? 'gray' : 'qila'}
              title={
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={600} dir="auto" style={{ minWidth: 0 }}>
                    {e.text}
                  </Text>
                  {e.internal && (
                    <Badge size="xs" color="gray.7" variant="outline" className="qila-badge-fit">
                      {t('timeline.internal')}
                    </Badge>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                {t('timeline.meta', { actor: e.actor, at: fmt.dateTime(e.at) })}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {handler && <NoteForm incident={incident} />}
    </Section>
  );
}

function NoteForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/incidents/{id}/notes', {
          params: { path: { id: incident.id } },
          body: { text: text.trim(), internal },
        }),
      ),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return setError(t('timeline.noteRequired'));
        setError(null);
        add.mutate();
      }}
      pt="sm"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      {add.isError && <ErrorAlert error={add.error} />}
      <Textarea
        label={t('timeline.note')}
        autosize
        minRows={2}
        maxLength={5000}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={error}
      />
      <Group justify="space-between" gap="sm">
        <Switch
          label={internal ? t('timeline.internalOn') : t('timeline.internalOff')}
          checked={internal}
          onChange={(e) => setInternal(e.currentTarget.checked)}
        />
        <Button
          type="submit"
          size="xs"
          loading={add.isPending}
          leftSection={<IconMessage size={14} aria-hidden />}
        >
          {t('timeline.addNote')}
        </Button>
      </Group>
    </Stack>
  );
}
