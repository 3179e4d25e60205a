import { Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { fromLocalInput } from '../../app/datetime';
import { incidentKey, type Incident } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Countdown } from '../../components/IncidentBadges';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { useHandlers } from './HandlerPanel';

type Task = Incident['tasks'][number];

/** The handlers' to-do list for this incident: tick a task done, add another. */
export function TasksCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const open = incident.tasks.filter((x) => x.status !== 'done').length;
  return (
    <Section
      id="tasks"
      title={t('tasks.title')}
      description={
        incident.tasks.length ? t('tasks.summary', { open, total: incident.tasks.length }) : undefined
      }
    >
      {incident.tasks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tasks.none')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {incident.tasks.map((task) => (
            <TaskRow key={task.id} incident={incident} task={task} />
          ))}
        </Stack>
      )}
      <AddTask incident={incident} />
    </Section>
  );
}

function TaskRow({ incident, task }: { incident: Incident; task: Task }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (done: boolean) =>
      unwrap(
        api.PATCH('/api/incidents/{id}/tasks/{taskId}', {
          params: { path: { id: incident.id, taskId: task.id } },
          body: { version: task.version, status: done ? 'done' : 'open' },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) }),
  });
  const done = task.status === 'done';
  return (
    <Stack component="li" gap={2}>
      <Checkbox
        checked={done}
        disabled={toggle.isPending}
        onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        label={
          <Text size="sm" td={done ? 'line-through' : undefined} c={done ? 'dimmed' : undefined} dir="auto">
            {task.title}
          </Text>
        }
        description={
          <>
            {task.assignee ? task.assignee.name : t('handling.unassigned')}
            {task.dueAt && <> · {t('tasks.due', { at: fmt.dateTime(task.dueAt) })} </>}
            {task.dueAt && !done && <Countdown dueAt={task.dueAt} size="xs" />}
          </>
        }
      />
      {toggle.isError && <ErrorAlert error={toggle.error} />}
    </Stack>
  );
}

function AddTask({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const handlers = useHandlers();
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/incidents/{id}/tasks', {
          params: { path: { id: incident.id } },
          body: { title: title.trim(), assigneeId: assignee, dueAt: fromLocalInput(due) },
        }),
      ),
    onSuccess: async () => {
      setTitle('');
      setAssignee(null);
      setDue('');
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) });
    },
  });
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!title.trim()) return setError(t('tasks.titleRequired'));
        setError(null);
        add.mutate();
      }}
      pt="sm"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      {add.isError && <ErrorAlert error={add.error} />}
      <TextInput
        label={t('tasks.new')}
        maxLength={300}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={error}
      />
      <Stack gap="xs">
        <Select
          label={t('tasks.assignee')}
          data={(handlers.data ?? []).map((h) => ({ value: h.id, label: h.name }))}
          value={assignee}
          onChange={setAssignee}
          clearable
          searchable
          placeholder={t('handling.unassigned')}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          type="datetime-local"
          label={t('tasks.dueLabel')}
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
        />
      </Stack>
      <Group justify="flex-end">
        <Button
          type="submit"
          size="xs"
          loading={add.isPending}
          leftSection={<IconPlus size={14} aria-hidden />}
        >
          {t('tasks.add')}
        </Button>
      </Group>
    </Stack>
  );
}
