import {
  ActionIcon,
  Box,
  Button,
  Group,
  Select,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { ASSET_KINDS, entityKey, isAssetKind, type AssetKind, type EntityDetail } from '../../app/registry';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

type Asset = EntityDetail['assets'][number];

// The server's checks (registry.schemas.ts), repeated for an answer before the round trip.
const VALID: Record<AssetKind, RegExp> = {
  domain: /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
  ip_range: /^(\d{1,3}(\.\d{1,3}){3})(\/\d{1,2})?$|^[0-9a-f:]+(\/\d{1,3})?$/i,
  tls_endpoint: /^[a-z0-9.-]+:\d{1,5}$/i,
};
const EXAMPLE: Record<AssetKind, string> = {
  domain: 'example.gov.pk',
  ip_range: '203.0.113.0/24',
  tls_endpoint: 'mail.example.pk:443',
};

/** Domains, address ranges and TLS endpoints the entity exposes to the internet. */
export function EntityAssets({ entity }: { entity: EntityDetail }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const editable = entity.allowedActions.includes('editAssets');
  const [removing, setRemoving] = useState<Asset | null>(null);
  const kindLabel = (k: string) => (isAssetKind(k) ? t(`assets.kinds.${k}`) : k);

  const remove = useMutation({
    mutationFn: (a: Asset) =>
      unwrap(
        api.DELETE('/api/entities/{id}/assets/{assetId}', {
          params: { path: { id: entity.id, assetId: a.id } },
        }),
      ),
    onSuccess: async (_d, a) => {
      await queryClient.invalidateQueries({ queryKey: entityKey(entity.id) });
      notifications.show({
        color: 'qila',
        title: t('assets.removedTitle'),
        message: t('assets.removed', { value: a.value }),
      });
      closeRemove();
    },
  });
  const closeRemove = () => {
    remove.reset();
    setRemoving(null);
  };

  return (
    <Section id="entity-assets" title={t('assets.title')} description={t('assets.hint')}>
      {entity.assets.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assets.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" striped verticalSpacing={6}>
            <VisuallyHidden component="caption">{t('assets.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('assets.kind')}</Table.Th>
                <Table.Th scope="col">{t('assets.value')}</Table.Th>
                <Table.Th scope="col">{t('assets.note')}</Table.Th>
                <Table.Th scope="col">{t('assets.added')}</Table.Th>
                {editable && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entity.assets.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{kindLabel(a.kind)}</Table.Td>
                  <Table.Th scope="row" fw={500}>
                    <span className="qila-code">{a.value}</span>
                  </Table.Th>
                  <Table.Td>{a.note ?? ''}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(a.createdAt)}</Table.Td>
                  {editable && (
                    <Table.Td ta="end">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => setRemoving(a)}
                        aria-label={t('assets.removeOne', { value: a.value })}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editable && <AddAsset entityId={entity.id} />}
      <ConfirmModal
        opened={removing !== null}
        title={t('assets.removeTitle')}
        confirmLabel={t('assets.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        errorTitle={t('assets.removeFailed')}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={closeRemove}
      >
        <Text size="sm">
          {t('assets.removeBody', {
            value: removing?.value ?? '',
            kind: removing ? kindLabel(removing.kind) : '',
          })}
        </Text>
      </ConfirmModal>
    </Section>
  );
}

function AddAsset({ entityId }: { entityId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'controlled',
    initialValues: { kind: 'domain' as AssetKind, value: '', note: '' },
    validate: {
      value: (v, all) =>
        !v.trim()
          ? t('assets.valueRequired')
          : VALID[all.kind].test(v.trim())
            ? null
            : t(`assets.invalid.${all.kind}`),
    },
  });
  const add = useMutation({
    mutationFn: (v: { kind: AssetKind; value: string; note: string }) =>
      unwrap(
        api.POST('/api/entities/{id}/assets', {
          params: { path: { id: entityId } },
          body: { kind: v.kind, value: v.value.trim(), note: v.note.trim() || null },
        }),
      ),
    onSuccess: async (_d, v) => {
      await queryClient.invalidateQueries({ queryKey: entityKey(entityId) });
      notifications.show({
        color: 'qila',
        title: t('assets.addedTitle'),
        message: t('assets.addedBody', { value: v.value.trim() }),
      });
      form.reset();
    },
    onError: (error, v) => {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'asset_exists') {
        form.setFieldError('value', t('problems.asset_exists'));
        return;
      }
      for (const e of error.errors) {
        const f = fieldOf(e.path);
        if (f === 'value') form.setFieldError('value', t(`assets.invalid.${v.kind}`));
        else if (f === 'note') form.setFieldError('note', e.message);
      }
    },
  });
  const fieldError =
    add.error instanceof ApiError &&
    (add.error.code === 'asset_exists' ||
      add.error.errors.some((e) => ['value', 'note'].includes(fieldOf(e.path))));
  const kind = form.values.kind;
  return (
    <Box
      component="form"
      noValidate
      onSubmit={form.onSubmit((v) => add.mutate(v))}
      bg="gray.0"
      p="sm"
      style={{ borderRadius: 8 }}
      aria-labelledby="add-asset-title"
    >
      <Text id="add-asset-title" size="sm" fw={700} mb="xs">
        {t('assets.addTitle')}
      </Text>
      {add.isError && !fieldError && <ErrorAlert error={add.error} title={t('assets.addFailed')} />}
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          label={t('assets.kind')}
          data={ASSET_KINDS.map((k) => ({ value: k, label: t(`assets.kinds.${k}`) }))}
          allowDeselect={false}
          w={200}
          {...form.getInputProps('kind')}
        />
        <TextInput
          label={t('assets.value')}
          description={t('assets.example', { example: EXAMPLE[kind] })}
          required
          dir="ltr"
          maxLength={300}
          style={{ flex: '2 1 220px' }}
          {...form.getInputProps('value')}
        />
        <TextInput
          label={t('assets.note')}
          description={t('entityForm.optional')}
          maxLength={300}
          style={{ flex: '2 1 200px' }}
          {...form.getInputProps('note')}
        />
      </Group>
      <Group justify="flex-end" mt="sm">
        <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
          {t('assets.add')}
        </Button>
      </Group>
    </Box>
  );
}
