import { Alert, Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm, type GetInputPropsReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { auditorsKey, today, type Auditor, type AuditorsList } from '../../app/supervision';
import { EntityPicker } from '../../components/EntityPicker';
import { ErrorAlert } from '../../components/ErrorAlert';

/** A licence number and the last day it is valid: firms and auditors both hold one. */
function LicenceFields({
  licenceNo,
  validUntil,
}: {
  licenceNo: GetInputPropsReturnType;
  validUntil: GetInputPropsReturnType;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput label={t('supervision.auditors.licenceNo')} required maxLength={60} {...licenceNo} />
      <TextInput
        type="date"
        label={t('supervision.auditors.licenceValidUntil')}
        required
        min={today()}
        {...validUntil}
      />
    </>
  );
}

/** Cancel and the form's own action, at the foot of a small modal form. */
function FormButtons({
  onCancel,
  loading,
  label,
}: {
  onCancel: () => void;
  loading: boolean;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        {t('actions.cancel')}
      </Button>
      <Button type="submit" loading={loading}>
        {label}
      </Button>
    </Group>
  );
}

/** Puts the server's field complaints beside the fields of a small form. */
function showErrors(
  form: { getValues: () => object; setFieldError: (f: string, m: string) => void },
  error: unknown,
) {
  if (!(error instanceof ApiError)) return;
  for (const e of error.errors) {
    const f = fieldOf(e.path);
    if (f in form.getValues()) form.setFieldError(f, e.message);
  }
}

interface FirmValues {
  name: string;
  licenceNo: string;
  licenceValidUntil: string;
}

export function FirmFormModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<FirmValues>({
    mode: 'controlled',
    initialValues: { name: '', licenceNo: '', licenceValidUntil: '' },
    validate: {
      name: (v) => (v.trim().length >= 2 ? null : t('supervision.auditors.nameRequired')),
      licenceNo: (v) => (v.trim().length >= 3 ? null : t('supervision.auditors.licenceRequired')),
      licenceValidUntil: (v) => (v ? null : t('supervision.dateRequired')),
    },
  });
  const create = useMutation({
    mutationFn: (v: FirmValues) =>
      unwrap(
        api.POST('/api/supervision/firms', {
          body: {
            name: v.name.trim(),
            licenceNo: v.licenceNo.trim(),
            licenceValidUntil: v.licenceValidUntil,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: auditorsKey });
      notifications.show({ color: 'qila', message: t('supervision.auditors.firmAdded') });
      form.reset();
      onClose();
    },
    onError: (error) => showErrors(form, error),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('supervision.auditors.addFirm')} centered>
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="sm">
          {create.isError && <ErrorAlert error={create.error} />}
          <TextInput
            label={t('supervision.auditors.firmName')}
            required
            maxLength={200}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <LicenceFields
            licenceNo={form.getInputProps('licenceNo')}
            validUntil={form.getInputProps('licenceValidUntil')}
          />
          <FormButtons
            onCancel={onClose}
            loading={create.isPending}
            label={t('supervision.auditors.addFirm')}
          />
        </Stack>
      </form>
    </Modal>
  );
}

interface AuditorValues {
  firmId: string | null;
  userId: string | null;
  licenceNo: string;
  licenceValidUntil: string;
}

/**
 * Registers a licensed auditor: a person who already holds the auditor role for the firm (given by
 * invitation) and is not registered yet.
 */
export function AuditorFormModal({
  opened,
  onClose,
  list,
}: {
  opened: boolean;
  onClose: () => void;
  list: AuditorsList;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const people = useQuery({
    queryKey: ['users', 'auditors'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/users', { params: { query: { role: 'auditor', limit: 100 } }, signal })),
    enabled: opened,
  });
  const form = useForm<AuditorValues>({
    mode: 'controlled',
    initialValues: { firmId: list.firms[0]?.id ?? null, userId: null, licenceNo: '', licenceValidUntil: '' },
    validate: {
      firmId: (v) => (v ? null : t('supervision.auditors.firmRequired')),
      userId: (v) => (v ? null : t('supervision.auditors.personRequired')),
      licenceNo: (v) => (v.trim().length >= 3 ? null : t('supervision.auditors.licenceRequired')),
      licenceValidUntil: (v) => (v ? null : t('supervision.dateRequired')),
    },
  });
  const firmId = form.getValues().firmId;
  const registered = new Set(list.auditors.map((a) => a.email));
  const candidates = (people.data?.items ?? []).filter(
    (u) =>
      u.status === 'active' &&
      !registered.has(u.email) &&
      u.roles.some((r) => r.role === 'auditor' && r.scopeValue === firmId),
  );
  const create = useMutation({
    mutationFn: (v: AuditorValues) =>
      unwrap(
        api.POST('/api/supervision/auditors', {
          body: {
            firmId: v.firmId!,
            userId: v.userId!,
            licenceNo: v.licenceNo.trim(),
            licenceValidUntil: v.licenceValidUntil,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: auditorsKey });
      notifications.show({ color: 'qila', message: t('supervision.auditors.registered') });
      form.reset();
      onClose();
    },
    onError: (error) => showErrors(form, error),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('supervision.auditors.register')} centered>
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="sm">
          {create.isError && <ErrorAlert error={create.error} />}
          {people.isError && <ErrorAlert error={people.error} onRetry={() => void people.refetch()} />}
          <Select
            label={t('supervision.auditors.firm')}
            required
            data={list.firms.map((f) => ({ value: f.id, label: f.name }))}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('firmId')}
            onChange={(v) => {
              form.setFieldValue('firmId', v);
              form.setFieldValue('userId', null);
            }}
          />
          <Select
            label={t('supervision.auditors.person')}
            description={t('supervision.auditors.personHint')}
            required
            searchable
            disabled={people.isPending}
            data={candidates.map((u) => ({ value: u.id, label: `${u.displayName} · ${u.email}` }))}
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('userId')}
          />
          {people.isSuccess && candidates.length === 0 && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
              {t('supervision.auditors.noCandidates')}
            </Alert>
          )}
          <LicenceFields
            licenceNo={form.getInputProps('licenceNo')}
            validUntil={form.getInputProps('licenceValidUntil')}
          />
          <FormButtons
            onCancel={onClose}
            loading={create.isPending}
            label={t('supervision.auditors.register')}
          />
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The Authority records a conflict of interest an auditor declared to it (in writing, at a
 * meeting): from then on the auditor cannot be assigned to that entity's audits.
 */
export function ConflictFormModal({
  auditor,
  opened,
  onClose,
}: {
  auditor: Auditor | null;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<{ entityId: string; statement: string }>({
    mode: 'controlled',
    initialValues: { entityId: '', statement: '' },
    validate: {
      entityId: (v) => (v ? null : t('supervision.auditors.conflictEntityRequired')),
      statement: (v) => (v.trim().length >= 3 ? null : t('supervision.auditors.conflictStatementRequired')),
    },
  });
  const record = useMutation({
    mutationFn: (v: { entityId: string; statement: string }) =>
      unwrap(
        api.POST('/api/supervision/auditors/{id}/conflicts', {
          params: { path: { id: auditor!.id } },
          body: { entityId: v.entityId, statement: v.statement.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: auditorsKey });
      notifications.show({ color: 'qila', message: t('supervision.auditors.conflictRecorded') });
      form.reset();
      onClose();
    },
    onError: (error) => showErrors(form, error),
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('supervision.auditors.recordConflictFor', { name: auditor?.name ?? '' })}
      centered
    >
      <form noValidate onSubmit={form.onSubmit((v) => record.mutate(v))}>
        <Stack gap="sm">
          {record.isError && <ErrorAlert error={record.error} />}
          <EntityPicker
            label={t('supervision.entity')}
            required
            value={form.values.entityId || null}
            onChange={(id) => form.setFieldValue('entityId', id ?? '')}
            error={form.errors.entityId}
          />
          <Textarea
            label={t('supervision.auditors.conflictStatement')}
            description={t('supervision.auditors.conflictStatementHint')}
            required
            autosize
            minRows={2}
            maxLength={2000}
            {...form.getInputProps('statement')}
          />
          <FormButtons
            onCancel={onClose}
            loading={record.isPending}
            label={t('supervision.auditors.recordConflict')}
          />
        </Stack>
      </form>
    </Modal>
  );
}
