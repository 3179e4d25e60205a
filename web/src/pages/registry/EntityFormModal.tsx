import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import {
  ENTITY_KINDS,
  SIZES,
  entityKey,
  type EntityDetail,
  type EntityKind,
  type Size,
} from '../../app/registry';
import { EntityPicker } from '../../components/EntityPicker';
import { ErrorAlert } from '../../components/ErrorAlert';

type Mode = 'create' | 'edit' | 'requestChange';

interface Values {
  registrationNo: string;
  nameEn: string;
  nameUr: string;
  kind: string | null;
  sector: string | null;
  subsector: string | null;
  adminUnit: string | null;
  size: string | null;
  annualTurnover: number | string;
  website: string;
  parentId: string | null;
  reason: string;
}

/** Fields an entity administrator can only ask the Authority to change (they affect designation). */
type RequestedField = 'kind' | 'sector' | 'subsector' | 'adminUnit' | 'size' | 'annualTurnover';
const FIELDS = [
  'registrationNo',
  'nameEn',
  'nameUr',
  'kind',
  'sector',
  'subsector',
  'adminUnit',
  'size',
  'annualTurnover',
  'website',
  'parentId',
  'reason',
] as const;
const isField = (f: string): f is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(f);

function valuesOf(e: EntityDetail | undefined): Values {
  return {
    registrationNo: e?.registrationNo ?? '',
    nameEn: e?.nameEn ?? '',
    nameUr: e?.nameUr ?? '',
    kind: e?.kind ?? null,
    sector: e?.sector ?? null,
    subsector: e?.subsector ?? null,
    adminUnit: e?.adminUnit ?? null,
    size: e?.size ?? null,
    annualTurnover: e?.annualTurnover ?? '',
    website: e?.website ?? '',
    parentId: e?.parent?.id ?? null,
    reason: '',
  };
}

const validUrl = (v: string) => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

interface Props {
  mode: Mode;
  opened: boolean;
  onClose: () => void;
  /** The entity being changed (edit and requestChange). */
  entity?: EntityDetail;
  /** Reloads the entity after someone else changed it. */
  onReload?: () => Promise<EntityDetail | undefined>;
}

/** Registers an entity, changes one (the Authority), or asks for a change (the entity's administrator). */
export function EntityFormModal({ mode, opened, onClose, entity, onReload }: Props) {
  const { t } = useTranslation();
  const title =
    mode === 'create'
      ? t('entityForm.createTitle')
      : mode === 'edit'
        ? t('entityForm.editTitle')
        : t('entityForm.requestTitle');
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="xl">
      {opened && <EntityForm mode={mode} entity={entity} onClose={onClose} onReload={onReload} />}
    </Modal>
  );
}

function EntityForm({
  mode,
  entity,
  onClose,
  onReload,
}: {
  mode: Mode;
  entity?: EntityDetail;
  onClose: () => void;
  onReload?: () => Promise<EntityDetail | undefined>;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = valuesOf(entity);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      registrationNo: (v) => (mode !== 'create' || v.trim() ? null : t('entityForm.registrationNoRequired')),
      nameEn: (v) => (v.trim() ? null : t('entityForm.nameEnRequired')),
      kind: (v) => (v ? null : t('entityForm.kindRequired')),
      sector: (v) => (v ? null : t('entityForm.sectorRequired')),
      subsector: (v) => (v ? null : t('entityForm.subsectorRequired')),
      adminUnit: (v) => (v ? null : t('entityForm.adminUnitRequired')),
      size: (v) => (v ? null : t('entityForm.sizeRequired')),
      website: (v) => (!v.trim() || validUrl(v.trim()) ? null : t('entityForm.websiteInvalid')),
      annualTurnover: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) >= 0) ? null : t('entityForm.turnoverInvalid'),
    },
  });
  const v = form.getValues();
  const turnover = (x: number | string) => (x === '' ? null : Number(x));

  const showServerErrors = (error: unknown) => {
    if (!(error instanceof ApiError)) return;
    if (error.code === 'registration_taken') {
      form.setFieldError('registrationNo', t('problems.registration_taken'));
      return;
    }
    for (const e of error.errors) {
      const f = fieldOf(e.path);
      if (isField(f)) form.setFieldError(f, e.message);
    }
  };

  const create = useMutation({
    mutationFn: (x: Values) =>
      unwrap(
        api.POST('/api/entities', {
          body: {
            registrationNo: x.registrationNo.trim(),
            nameEn: x.nameEn.trim(),
            nameUr: x.nameUr.trim() || null,
            kind: x.kind as EntityKind,
            sector: x.sector!,
            subsector: x.subsector!,
            adminUnit: x.adminUnit!,
            size: x.size as Size,
            annualTurnover: turnover(x.annualTurnover),
            website: x.website.trim() || null,
            parentId: x.parentId,
          },
        }),
      ),
    onSuccess: async (created) => {
      queryClient.setQueryData(entityKey(created.id), created);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['entities'] }),
        queryClient.invalidateQueries({ queryKey: ['registry'] }),
        queryClient.invalidateQueries({ queryKey: ['entity-directory'] }),
      ]);
      notifications.show({
        color: 'qila',
        title: t('entityForm.createdTitle'),
        message: t('entityForm.created', { name: created.nameEn }),
      });
      onClose();
      void navigate(`/registry/${created.id}`);
    },
    onError: showServerErrors,
  });

  const update = useMutation({
    mutationFn: (x: Values) => {
      const e = entity!;
      const body: Record<string, unknown> = { version: e.version };
      const put = (k: string, next: unknown, prev: unknown) => {
        if (next !== prev) body[k] = next;
      };
      put('nameEn', x.nameEn.trim(), e.nameEn);
      put('nameUr', x.nameUr.trim() || null, e.nameUr);
      put('website', x.website.trim() || null, e.website);
      put('kind', x.kind, e.kind);
      put('sector', x.sector, e.sector);
      put('subsector', x.subsector, e.subsector);
      put('adminUnit', x.adminUnit, e.adminUnit);
      put('size', x.size, e.size);
      put('annualTurnover', turnover(x.annualTurnover), e.annualTurnover);
      if (mode === 'edit') put('parentId', x.parentId, e.parent?.id ?? null);
      if (Object.keys(body).length === 1) return Promise.resolve(null);
      if (mode === 'requestChange' && x.reason.trim()) body.reason = x.reason.trim();
      return unwrap(
        api.PATCH('/api/entities/{id}', {
          params: { path: { id: e.id } },
          body: body as { version: number },
        }),
      );
    },
    onSuccess: async (saved) => {
      if (!saved) {
        form.setErrors({ nameEn: t('entityForm.nothingChanged') });
        return;
      }
      const requested = saved.pendingChanges.length > (entity?.pendingChanges.length ?? 0);
      queryClient.setQueryData(entityKey(saved.id), saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['entities'] }),
        queryClient.invalidateQueries({ queryKey: ['registry'] }),
      ]);
      notifications.show({
        color: 'qila',
        title: requested ? t('entityForm.requestedTitle') : t('entityForm.savedTitle'),
        message: requested ? t('entityForm.requested') : t('entityForm.saved', { name: saved.nameEn }),
      });
      onClose();
    },
    onError: showServerErrors,
  });

  const mutation = mode === 'create' ? create : update;
  const conflict = mutation.error instanceof ApiError && mutation.error.code === 'version_conflict';
  const fieldErrors =
    mutation.error instanceof ApiError &&
    (mutation.error.code === 'registration_taken' ||
      mutation.error.errors.some((e) => isField(fieldOf(e.path))));

  const reload = async () => {
    const fresh = await onReload?.();
    update.reset();
    if (fresh) {
      form.setInitialValues(valuesOf(fresh));
      form.setValues(valuesOf(fresh));
    }
  };

  const hint = (field: RequestedField) =>
    mode === 'requestChange' && form.isDirty(field) ? t('entityForm.willBeRequested') : undefined;

  return (
    <form noValidate onSubmit={form.onSubmit((x) => mutation.mutate(x))}>
      <Stack gap="md">
        {mode === 'requestChange' && (
          <Alert
            color="blue"
            variant="light"
            icon={<IconInfoCircle aria-hidden />}
            title={t('entityForm.requestHowTitle')}
          >
            <Text size="sm">{t('entityForm.requestHow')}</Text>
          </Alert>
        )}
        {mode === 'create' && (
          <Text size="sm" c="dimmed">
            {t('entityForm.createHint')}
          </Text>
        )}
        {conflict ? (
          <Alert
            color="orange"
            variant="light"
            icon={<IconRefresh aria-hidden />}
            title={t('entityForm.conflictTitle')}
            role="alert"
          >
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('entityForm.conflict')}</Text>
              <Button
                size="xs"
                variant="white"
                onClick={() => void reload()}
                leftSection={<IconRefresh size={14} aria-hidden />}
              >
                {t('entityForm.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          mutation.isError &&
          !fieldErrors && (
            <ErrorAlert
              error={mutation.error}
              title={mode === 'create' ? t('entityForm.createFailed') : t('entityForm.saveFailed')}
            />
          )
        )}

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {mode === 'create' ? (
            <TextInput
              label={t('registry.registrationNo')}
              description={t('entityForm.registrationNoHint')}
              required
              maxLength={60}
              dir="ltr"
              data-autofocus
              {...form.getInputProps('registrationNo')}
            />
          ) : (
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t('registry.registrationNo')}
              </Text>
              <Text size="sm" py={6}>
                <span className="qila-code">{entity?.registrationNo}</span>
              </Text>
            </Stack>
          )}
          <Select
            label={t('registry.kind')}
            data={ENTITY_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            required
            allowDeselect={false}
            description={hint('kind') ?? t('entityForm.kindHint')}
            {...form.getInputProps('kind')}
          />
          <TextInput
            label={t('entityForm.nameEn')}
            description={t('entityForm.nameEnHint')}
            required
            maxLength={300}
            lang="en"
            dir="ltr"
            data-autofocus={mode !== 'create' || undefined}
            {...form.getInputProps('nameEn')}
          />
          <TextInput
            label={t('entityForm.nameUr')}
            description={t('entityForm.optional')}
            maxLength={300}
            lang="ur"
            dir="rtl"
            {...form.getInputProps('nameUr')}
          />
          <Select
            label={t('registry.sector')}
            data={names.sectorOptions}
            required
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('common.nothingFound')}
            description={hint('sector')}
            {...form.getInputProps('sector')}
            onChange={(s) => {
              form.setFieldValue('sector', s);
              if (!names.subsectorOptions(s).some((o) => o.value === form.getValues().subsector))
                form.setFieldValue('subsector', null);
            }}
          />
          <Select
            label={t('registry.subsector')}
            data={names.subsectorOptions(v.sector)}
            required
            searchable
            allowDeselect={false}
            disabled={!v.sector}
            placeholder={v.sector ? undefined : t('registry.chooseSectorFirst')}
            nothingFoundMessage={t('common.nothingFound')}
            description={hint('subsector')}
            {...form.getInputProps('subsector')}
          />
          <Select
            label={t('registry.adminUnit')}
            data={names.adminUnitOptions}
            required
            searchable
            allowDeselect={false}
            nothingFoundMessage={t('common.nothingFound')}
            description={hint('adminUnit')}
            {...form.getInputProps('adminUnit')}
          />
          <Select
            label={t('entityForm.size')}
            data={SIZES.map((s) => ({ value: s, label: t(`sizes.${s}`) }))}
            required
            allowDeselect={false}
            description={hint('size')}
            {...form.getInputProps('size')}
          />
          <NumberInput
            label={t('entityForm.turnover', { currency: names.jurisdiction?.currency ?? '' })}
            description={hint('annualTurnover') ?? t('entityForm.turnoverHint')}
            min={0}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            hideControls
            dir="ltr"
            leftSection={
              <Text size="xs" c="dimmed">
                {names.jurisdiction?.currency}
              </Text>
            }
            {...form.getInputProps('annualTurnover')}
          />
          <TextInput
            label={t('entityForm.website')}
            description={t('entityForm.websiteHint')}
            type="url"
            maxLength={300}
            dir="ltr"
            placeholder="https://"
            {...form.getInputProps('website')}
          />
          {mode !== 'requestChange' && (
            <EntityPicker
              label={t('entityForm.parent')}
              value={form.getValues().parentId}
              onChange={(id) => form.setFieldValue('parentId', id)}
              error={form.errors.parentId}
            />
          )}
        </SimpleGrid>
        {mode === 'requestChange' && (
          <Textarea
            label={t('entityForm.reason')}
            description={t('entityForm.reasonHint')}
            autosize
            minRows={2}
            maxLength={1000}
            {...form.getInputProps('reason')}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={conflict}>
            {mode === 'create'
              ? t('entityForm.create')
              : mode === 'edit'
                ? t('entityForm.save')
                : t('entityForm.sendRequest')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
