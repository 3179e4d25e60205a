import {
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconListCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import { supervisionKey, today } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';

interface Values {
  name: string;
  periodStart: string;
  periodEnd: string;
  capacity: number | string;
  sectors: string[];
  frameworkId: string | null;
}

/** Proposes a risk-based plan: the server ranks the candidates, the Authority adjusts and approves. */
export function NewPlanModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const frameworks = useQuery({
    queryKey: ['frameworks'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/frameworks', { signal })),
    enabled: opened,
    staleTime: 10 * 60_000,
  });
  // Audits check against a baseline or a full framework, not an overlay.
  const auditable = (frameworks.data?.items ?? []).filter((f) => f.kind !== 'overlay');
  const baseline = auditable.find((f) => f.kind === 'baseline')?.id ?? null;
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: '',
      periodStart: today(),
      periodEnd: today(180),
      capacity: 5,
      sectors: [],
      frameworkId: null,
    },
    validate: {
      name: (v) => (v.trim().length >= 3 ? null : t('supervision.plans.nameRequired')),
      periodStart: (v) => (v ? null : t('supervision.dateRequired')),
      periodEnd: (v, all) =>
        !v
          ? t('supervision.dateRequired')
          : v < all.periodStart
            ? t('supervision.plans.endBeforeStart')
            : null,
      capacity: (v) => (Number(v) >= 1 ? null : t('supervision.plans.capacityRequired')),
    },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/supervision/plans', {
          body: {
            name: v.name.trim(),
            periodStart: v.periodStart,
            periodEnd: v.periodEnd,
            capacity: Number(v.capacity),
            sectors: v.sectors,
            frameworkId: v.frameworkId ?? baseline ?? undefined,
          },
        }),
      ),
    onSuccess: async (plan) => {
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      form.reset();
      onClose();
      void navigate(`/supervision/plans/${plan.id}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const [head = ''] = fieldOf(e.path).split('.');
        if (head in form.getValues()) form.setFieldError(head, e.message);
      }
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('supervision.plans.new')} size="lg" centered>
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="md">
          {create.isError && <ErrorAlert error={create.error} title={t('supervision.plans.createFailed')} />}
          <TextInput
            label={t('supervision.plans.name')}
            required
            maxLength={200}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              type="date"
              label={t('supervision.plans.periodStart')}
              required
              {...form.getInputProps('periodStart')}
            />
            <TextInput
              type="date"
              label={t('supervision.plans.periodEnd')}
              required
              {...form.getInputProps('periodEnd')}
            />
          </SimpleGrid>
          <NumberInput
            label={t('supervision.plans.capacity')}
            description={t('supervision.plans.capacityHint')}
            required
            min={1}
            max={5000}
            allowDecimal={false}
            maw={220}
            {...form.getInputProps('capacity')}
          />
          <MultiSelect
            label={t('supervision.plans.sectors')}
            description={t('supervision.plans.sectorsHint')}
            placeholder={form.getValues().sectors.length ? undefined : t('registry.allSectors')}
            data={names.sectorOptions}
            searchable
            clearable
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('sectors')}
          />
          <Select
            label={t('supervision.plans.framework')}
            data={auditable.map((f) => ({
              value: f.id,
              label: i18n.language === 'ur' && f.nameUr ? f.nameUr : f.nameEn,
            }))}
            value={form.getValues().frameworkId ?? baseline}
            onChange={(v) => form.setFieldValue('frameworkId', v)}
            error={form.errors.frameworkId}
            allowDeselect={false}
            disabled={frameworks.isPending}
            comboboxProps={{ withinPortal: true }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              leftSection={<IconListCheck size={16} aria-hidden />}
            >
              {t('supervision.plans.propose')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
