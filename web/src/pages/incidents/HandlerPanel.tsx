import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconRefresh, IconUserCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../api/client';
import { useMe } from '../../app/auth';
import {
  SEVERITIES,
  incidentKey,
  incidentsKey,
  isIncidentStatus,
  isSeverity,
  nextStatuses,
  type Incident,
} from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';

export function useHandlers(enabled = true) {
  return useQuery({
    queryKey: ['incidents', 'handlers'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/incidents/handlers', { signal })),
    staleTime: 5 * 60_000,
    enabled,
  });
}

const UNASSIGNED = '-';

/** Triage: the workflow status, who handles it and how severe it is, saved together with the version loaded. */
export function HandlerPanel({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const handlers = useHandlers();
  const [status, setStatus] = useState(incident.status);
  const [assignee, setAssignee] = useState(incident.assignee?.id ?? UNASSIGNED);
  const [severity, setSeverity] = useState(incident.severity);
  const [reason, setReason] = useState('');
  // A new version from the server (another handler, a report) resets the choices.
  const [version, setVersion] = useState(incident.version);
  if (version !== incident.version) {
    setVersion(incident.version);
    setStatus(incident.status);
    setAssignee(incident.assignee?.id ?? UNASSIGNED);
    setSeverity(incident.severity);
  }

  const save = useMutation({
    mutationFn: (changes: { status?: string; assigneeId?: string | null; severity?: string }) =>
      unwrap(
        api.PATCH('/api/incidents/{id}', {
          params: { path: { id: incident.id } },
          body: {
            version: incident.version,
            status: isIncidentStatus(changes.status) ? changes.status : undefined,
            assigneeId: changes.assigneeId,
            severity: isSeverity(changes.severity) ? changes.severity : undefined,
            reason: reason.trim() || undefined,
          },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(incidentKey(incident.id), updated);
      void queryClient.invalidateQueries({ queryKey: incidentsKey });
      setReason('');
      notifications.show({ color: 'qila', message: t('handling.saved', { reference: incident.reference }) });
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const changed =
    status !== incident.status ||
    assignee !== (incident.assignee?.id ?? UNASSIGNED) ||
    severity !== incident.severity;
  const changes = () => ({
    status: status !== incident.status ? status : undefined,
    assigneeId:
      assignee !== (incident.assignee?.id ?? UNASSIGNED)
        ? assignee === UNASSIGNED
          ? null
          : assignee
        : undefined,
    severity: severity !== incident.severity ? severity : undefined,
  });

  const people = handlers.data ?? [];
  const assigneeOptions = [
    { value: UNASSIGNED, label: t('handling.unassigned') },
    ...people.map((h) => ({
      value: h.id,
      label: h.id === me.id ? t('handling.me', { name: h.name }) : h.name,
    })),
  ];
  if (incident.assignee && !people.some((h) => h.id === incident.assignee!.id))
    assigneeOptions.push({ value: incident.assignee.id, label: incident.assignee.name });

  return (
    <Section id="handling" title={t('handling.title')} description={t('handling.description')}>
      <Stack
        gap="sm"
        component="form"
        data-testid="handler-panel"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed) save.mutate(changes());
        }}
      >
        {save.isError && (
          <ErrorAlert error={save.error} title={stale ? t('handling.staleTitle') : t('handling.failed')} />
        )}
        <Select
          label={t('handling.status')}
          data={nextStatuses(incident.status).map((s) => ({ value: s, label: t(`incidents.statuses.${s}`) }))}
          value={status}
          onChange={(v) => v && setStatus(v)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('handling.assignee')}
          data={assigneeOptions}
          value={assignee}
          onChange={(v) => v && setAssignee(v)}
          allowDeselect={false}
          searchable
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          disabled={handlers.isPending}
        />
        {incident.assignee?.id !== me.id && assignee !== me.id && (
          <Group>
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconUserCheck size={14} aria-hidden />}
              onClick={() => setAssignee(me.id)}
            >
              {t('handling.assignMe')}
            </Button>
          </Group>
        )}
        <Select
          label={t('handling.severity')}
          data={SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))}
          value={severity}
          onChange={(v) => v && setSeverity(v)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('handling.reason')}
          description={t('handling.reasonHint')}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Group justify="flex-end" gap="xs">
          {stale && (
            <Button
              variant="default"
              leftSection={<IconRefresh size={14} aria-hidden />}
              onClick={() => void queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) })}
            >
              {t('handling.reload')}
            </Button>
          )}
          <Button type="submit" loading={save.isPending} disabled={!changed}>
            {t('handling.save')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
