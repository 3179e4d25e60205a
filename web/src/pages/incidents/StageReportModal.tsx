import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../api/client';
import { useIncidentNames } from '../../app/incidentNames';
import {
  FACT_FIELDS,
  OPEN_DUTY,
  incidentKey,
  incidentsKey,
  isDutyStatus,
  isFactField,
  isStageKind,
  stageRank,
  type Duty,
  type FactField,
  type Incident,
  type StageKind,
} from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import {
  factErrors,
  factsFromDetails,
  isMissing,
  showServerErrors,
  toUpdate,
  type ReportValues,
} from './facts';
import { FactInput } from './FactInput';
import { focusFirstError } from './ReportIncidentPage';

/** Open duties a report of `kind` meets: its own kind and every earlier one (a notification also serves as the early warning). */
function dutiesMet(duties: Duty[], kind: StageKind): Duty[] {
  return duties.filter(
    (d) => isDutyStatus(d.status) && OPEN_DUTY.includes(d.status) && stageRank(d.kind) <= stageRank(kind),
  );
}

/** What the stages this report meets require, in the form's order; the summary always. */
function requiredFor(duties: Duty[], extra: readonly string[]): FactField[] {
  const wanted = new Set<string>(['summary', ...duties.flatMap((d) => d.required), ...extra]);
  return FACT_FIELDS.filter((f) => f !== 'awareAt' && wanted.has(f));
}

interface Props {
  incident: Incident;
  /** The stage being reported, or null when the dialog is closed. */
  stage: StageKind | null;
  onStage: (s: StageKind) => void;
  onClose: () => void;
}

/** A further report (early warning, notification, intermediate, final): the stage and the facts it requires. */
export function StageReportModal({ incident, stage, onStage, onClose }: Props) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  return (
    <Modal
      opened={stage !== null}
      onClose={onClose}
      title={stage ? t(`duties.submit.${stage}`) : ''}
      size="xl"
    >
      {stage && (
        <StageForm
          key={incident.version}
          incident={incident}
          stage={stage}
          onStage={onStage}
          onClose={onClose}
          stageLabel={names.stageKind(stage)}
        />
      )}
    </Modal>
  );
}

function StageForm({
  incident,
  stage,
  onStage,
  onClose,
  stageLabel,
}: Props & { stage: StageKind; stageLabel: string }) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  // Fields the server said are missing though no duty listed them (a regime that now applies).
  const [extra, setExtra] = useState<string[]>([]);
  const met = dutiesMet(incident.duties, stage);
  const fields = requiredFor(met, extra);
  const kinds = [
    ...new Set([
      ...incident.duties
        .filter((d) => isDutyStatus(d.status) && OPEN_DUTY.includes(d.status))
        .map((d) => d.kind)
        .filter(isStageKind),
      'intermediate' as const,
    ]),
  ].sort((a, b) => stageRank(a) - stageRank(b));

  const form = useForm<ReportValues>({
    mode: 'controlled',
    initialValues: { ...factsFromDetails(incident.details), redRecipients: [], stage, entityId: null },
    validate: (v) => {
      const errors: Record<string, string> = factErrors(v, fields, t);
      for (const f of fields)
        if (!errors[f] && met.some((d) => d.required.includes(f)) && isMissing(v, f))
          errors[f] = t(`facts.errors.neededFor.${stage}`);
      return errors;
    },
  });

  const submit = useMutation({
    mutationFn: (v: ReportValues) =>
      unwrap(
        api.POST('/api/incidents/{id}/reports', {
          params: { path: { id: incident.id } },
          body: { stage, update: toUpdate(v, fields) },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(incidentKey(incident.id), updated);
      void queryClient.invalidateQueries({ queryKey: incidentsKey });
      notifications.show({
        color: 'qila',
        title: t('duties.submittedTitle'),
        message: t('duties.submitted', { stage: stageLabel, reference: incident.reference }),
      });
      onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        const more = error.fields.filter((f) => isFactField(f) && !fields.includes(f));
        if (more.length) setExtra((x) => [...x, ...more]);
      }
      if (showServerErrors(form, error, t(`facts.errors.neededFor.${stage}`)))
        focusFirstError(formRef.current);
    },
  });

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={form.onSubmit(
        (v) => submit.mutate(v),
        () => focusFirstError(formRef.current),
      )}
    >
      <Stack gap="md">
        <Select
          label={t('duties.stageLabel')}
          data={kinds.map((k) => ({ value: k, label: names.stageKind(k) }))}
          value={stage}
          allowDeselect={false}
          onChange={(k) => isStageKind(k) && onStage(k)}
          comboboxProps={{ withinPortal: true }}
        />
        <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} p="sm">
          {met.length ? (
            <Stack gap={4}>
              <Text size="sm">{t('duties.meets')}</Text>
              <List size="sm">
                {met.map((d) => (
                  <List.Item key={d.id}>
                    {names.stage(d)} ·{' '}
                    <span lang="en" dir="auto">
                      {d.authority}
                    </span>
                  </List.Item>
                ))}
              </List>
            </Stack>
          ) : (
            <Text size="sm">{t('duties.meetsNothing')}</Text>
          )}
        </Alert>
        {submit.isError && <ErrorAlert error={submit.error} title={t('duties.submitFailed')} />}
        <Text size="sm" c="dimmed">
          {t('duties.prefilled')}
        </Text>
        {fields.map((f) => (
          <FactInput key={f} form={form} field={f} required={met.some((d) => d.required.includes(f))} />
        ))}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={submit.isPending}>
            {t(`duties.submit.${stage}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
