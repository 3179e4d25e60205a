import {
  Alert,
  Button,
  Fieldset,
  Grid,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import {
  campaignsKey,
  frameworkKind,
  useFrameworks,
  type CampaignInput,
  type FrameworkKind,
} from '../../app/assessments';
import { useNames } from '../../app/jurisdiction';
import { ENTITY_KINDS, TIERS, type EntityKind, type TierKey } from '../../app/registry';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat } from '../../i18n/format';

interface Values {
  name: string;
  description: string;
  frameworks: string[];
  sectors: string[];
  adminUnits: string[];
  tiers: string[];
  kinds: string[];
  opensOn: string;
  dueOn: string;
  graceDays: number | string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const GROUPS = ['baseline', 'framework', 'readiness'] as const satisfies readonly FrameworkKind[];

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function CampaignFormModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('campaignForm.title')} size="xl">
      {opened && <CampaignForm onClose={onClose} />}
    </Modal>
  );
}

function CampaignForm({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const frameworks = useFrameworks();
  const today = new Date().toISOString().slice(0, 10);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: '',
      description: '',
      frameworks: [],
      sectors: [],
      adminUnits: [],
      tiers: [],
      kinds: [],
      opensOn: today,
      dueOn: addDays(today, 60),
      graceDays: 0,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('campaignForm.nameRequired')),
      frameworks: (v) => (v.length ? null : t('campaignForm.frameworksRequired')),
      opensOn: (v) => (ISO_DATE.test(v) ? null : t('campaignForm.dateInvalid')),
      dueOn: (v, all) =>
        !ISO_DATE.test(v)
          ? t('campaignForm.dateInvalid')
          : ISO_DATE.test(all.opensOn) && v < all.opensOn
            ? t('campaignForm.dueBeforeOpen')
            : null,
      graceDays: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 0 && n <= 60 ? null : t('campaignForm.graceInvalid');
      },
    },
  });

  // The national baseline is what almost every campaign assesses: chosen until the person says otherwise.
  const baselineId = frameworks.data?.items.find((f) => frameworkKind(f) === 'baseline')?.id;
  const { isTouched, getValues, setFieldValue } = form;
  useEffect(() => {
    if (baselineId && !isTouched('frameworks') && getValues().frameworks.length === 0)
      setFieldValue('frameworks', [baselineId]);
  }, [baselineId, isTouched, getValues, setFieldValue]);

  const launch = useMutation({
    mutationFn: (v: Values) => {
      const body: CampaignInput = {
        name: v.name.trim(),
        description: v.description.trim() || null,
        frameworks: v.frameworks,
        selection: {
          sectors: v.sectors,
          adminUnits: v.adminUnits,
          tiers: v.tiers as TierKey[],
          kinds: v.kinds as EntityKind[],
        },
        opensOn: v.opensOn,
        dueOn: v.dueOn,
        graceDays: Number(v.graceDays),
      };
      return unwrap(api.POST('/api/campaigns', { body }));
    },
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: campaignsKey });
      const n = Object.values(c.progress).reduce((s, x) => s + x, 0);
      notifications.show({
        color: 'qila',
        title: t('campaignForm.launchedTitle'),
        message: t('campaignForm.launched', { name: c.name, count: n, formatted: fmt.number(n) }),
      });
      onClose();
      void navigate(`/assessments/campaigns/${c.id}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const f = fieldOf(e.path).split('.')[0] ?? '';
        if (f in form.getValues()) form.setFieldError(f, e.message);
      }
    },
  });

  const noMatch =
    launch.error instanceof ApiError && launch.error.errors.some((e) => fieldOf(e.path) === 'selection');
  const fieldErrors =
    launch.error instanceof ApiError &&
    launch.error.errors.some((e) => fieldOf(e.path).split('.')[0]! in form.getValues());

  const frameworkData = GROUPS.map((g) => ({
    group: t(`campaignForm.kinds.${g}`),
    items: (frameworks.data?.items ?? [])
      .filter((f) => frameworkKind(f) === g)
      .map((f) => ({
        value: f.id,
        label: `${i18n.language === 'ur' && f.nameUr ? f.nameUr : f.nameEn} (${f.version})`,
      })),
  })).filter((g) => g.items.length > 0);
  const overlays = (frameworks.data?.items ?? []).filter((f) => frameworkKind(f) === 'overlay');

  const multi = (
    field: 'sectors' | 'adminUnits' | 'tiers' | 'kinds',
    label: string,
    data: { value: string; label: string }[],
  ) => (
    <MultiSelect
      label={label}
      placeholder={form.getValues()[field].length ? undefined : t('campaignForm.any')}
      data={data}
      searchable
      clearable
      nothingFoundMessage={t('common.nothingFound')}
      clearButtonProps={{ 'aria-label': t('registry.clearFilter', { filter: label }) }}
      comboboxProps={{ withinPortal: true }}
      {...form.getInputProps(field)}
    />
  );

  return (
    <form noValidate onSubmit={form.onSubmit((v) => launch.mutate(v))}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('campaignForm.intro')}
        </Text>
        {launch.isError && !fieldErrors && !noMatch && (
          <ErrorAlert error={launch.error} title={t('campaignForm.failed')} />
        )}
        <TextInput
          label={t('campaignForm.name')}
          required
          maxLength={200}
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Textarea
          label={t('campaignForm.description')}
          description={t('campaignForm.descriptionHint')}
          autosize
          minRows={2}
          maxLength={2000}
          {...form.getInputProps('description')}
        />
        {frameworks.isPending ? (
          <Skeleton h={60} />
        ) : frameworks.isError ? (
          <ErrorAlert error={frameworks.error} onRetry={() => void frameworks.refetch()} />
        ) : (
          <MultiSelect
            label={t('campaignForm.frameworks')}
            description={t('campaignForm.frameworksHint')}
            data={frameworkData}
            required
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('frameworks')}
          />
        )}
        <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />} p="sm">
          <Text size="sm">
            {t('campaignForm.overlays', {
              list: fmt.list(overlays.map((o) => (i18n.language === 'ur' && o.nameUr ? o.nameUr : o.nameEn))),
            })}
          </Text>
        </Alert>

        <Fieldset legend={t('campaignForm.selection')} variant="filled" radius="md">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('campaignForm.selectionHint')}
            </Text>
            {noMatch && (
              <Alert color="red" variant="light" role="alert" title={t('campaignForm.noMatchTitle')}>
                <Text size="sm">{t('campaignForm.noMatch')}</Text>
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {multi('sectors', t('campaignForm.sectors'), names.sectorOptions)}
              {multi('adminUnits', t('campaignForm.adminUnits'), names.adminUnitOptions)}
              {multi(
                'tiers',
                t('campaignForm.tiers'),
                TIERS.map((k) => ({ value: k, label: t(`tiers.${k}`) })),
              )}
              {multi(
                'kinds',
                t('campaignForm.entityKinds'),
                ENTITY_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })),
              )}
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <Grid gutter="sm" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              type="date"
              label={t('campaignForm.opensOn')}
              required
              {...form.getInputProps('opensOn')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              type="date"
              label={t('campaignForm.dueOn')}
              required
              {...form.getInputProps('dueOn')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <NumberInput
              label={t('campaignForm.graceDays')}
              description={t('campaignForm.graceDaysHint')}
              min={0}
              max={60}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('graceDays')}
            />
          </Grid.Col>
        </Grid>

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={launch.isPending}>
            {t('campaignForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
