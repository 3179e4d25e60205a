import { Alert, Box, Button, Grid, Group, MultiSelect, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconSend } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useMe } from '../../app/auth';
import { fromLocalInput, toLocalInput } from '../../app/datetime';
import {
  FACT_FIELDS,
  STAGE_KINDS,
  incidentsKey,
  isStageKind,
  newIdempotencyKey,
  type ReportInput,
} from '../../app/incidents';
import { useIncidentNames } from '../../app/incidentNames';
import { isRole } from '../../app/roles';
import { EntityPicker } from '../../components/EntityPicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { DutiesGuide } from './DutiesGuide';
import { EMPTY_FACTS, factErrors, showServerErrors, toUpdate, type ReportValues } from './facts';
import { FactInput } from './FactInput';

// Paired inputs line up even when only one of them has a hint above it.
const ALIGN_END = { alignItems: 'end' } as const;

/** Moves the keyboard to the first field with a complaint, so nobody has to hunt for it. */
export function focusFirstError(root: HTMLElement | null): void {
  requestAnimationFrame(() => {
    const el = root?.querySelector<HTMLElement>('[aria-invalid="true"], [data-error] input');
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  });
}

/** The first report of an incident: a sectioned form, with the reporting duties as guidance beside it. */
export function ReportIncidentPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const names = useIncidentNames();
  const formRef = useRef<HTMLFormElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  // One key for this form: a double click or a retry after a lost answer reports once.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const entities = [
    ...new Set(me.roles.filter((r) => r.scopeKind === 'entity' && r.scopeValue).map((r) => r.scopeValue!)),
  ];

  const form = useForm<ReportValues>({
    mode: 'controlled',
    initialValues: {
      ...EMPTY_FACTS,
      awareAt: toLocalInput(new Date()),
      redRecipients: [],
      stage: null,
      entityId: entities.length === 1 ? entities[0]! : null,
    },
    validate: (v) => {
      const errors: Record<string, string> = factErrors(v, FACT_FIELDS, t);
      if (v.tlp === 'RED' && v.redRecipients.length === 0)
        errors.redRecipients = t('reportForm.redRecipientsRequired');
      if (entities.length > 1 && !v.entityId) errors.entityId = t('reportForm.entityRequired');
      return errors;
    },
  });
  const values = form.getValues();

  const redRecipients = useQuery({
    queryKey: ['incidents', 'red-recipients'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/incidents/red-recipients', { signal })),
    enabled: values.tlp === 'RED',
    staleTime: 5 * 60_000,
  });

  const report = useMutation({
    mutationFn: (v: ReportValues) => {
      const body: ReportInput = {
        ...toUpdate(
          v,
          FACT_FIELDS.filter((f) => f !== 'awareAt'),
        ),
        title: v.title.trim(),
        summary: v.summary.trim(),
        severity: v.severity!,
        rsitClass: v.rsitClass!,
        rsitType: v.rsitType!,
        awareAt: fromLocalInput(v.awareAt)!,
        tlp: v.tlp,
        redRecipients: v.tlp === 'RED' ? v.redRecipients : [],
        stage: isStageKind(v.stage) ? v.stage : undefined,
        entityId: entities.length > 1 && v.entityId ? v.entityId : undefined,
      };
      return unwrap(
        api.POST('/api/incidents', { body, params: { header: { 'idempotency-key': idempotencyKey } } }),
      );
    },
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: incidentsKey });
      void navigate(`/incidents/${created.id}`, { state: { justReported: created.reference } });
    },
    onError: (error) => {
      if (showServerErrors(form, error, t('facts.errors.neededForReport'))) focusFirstError(formRef.current);
      else errorRef.current?.scrollIntoView({ block: 'center' });
    },
  });

  const section = (n: number, id: string, title: string, description: string, fields: ReactNode) => (
    <Section id={id} title={t('reportForm.step', { n, title })} description={description}>
      {fields}
    </Section>
  );

  return (
    <Stack gap="md">
      <PageHeader title={t('reportForm.title')} description={t('reportForm.description')} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }} order={{ base: 2, lg: 1 }}>
          <form
            ref={formRef}
            noValidate
            onSubmit={form.onSubmit(
              (v) => report.mutate(v),
              () => focusFirstError(formRef.current),
            )}
          >
            <Stack gap="md">
              <div ref={errorRef}>
                {report.isError && <ErrorAlert error={report.error} title={t('reportForm.failed')} />}
              </div>
              {entities.length > 1 && (
                <EntityPicker
                  label={t('reportForm.entity')}
                  value={values.entityId}
                  onChange={(id) => form.setFieldValue('entityId', id)}
                  restrictTo={entities}
                  error={form.errors.entityId}
                  required
                />
              )}
              {section(
                1,
                'what-happened',
                t('reportForm.whatHappened'),
                t('reportForm.whatHappenedHint'),
                <Stack gap="sm">
                  <FactInput form={form} field="title" />
                  <FactInput form={form} field="summary" />
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" style={ALIGN_END}>
                    <FactInput form={form} field="awareAt" />
                    <FactInput form={form} field="detectedAt" />
                  </SimpleGrid>
                  <FactInput form={form} field="severity" />
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" style={ALIGN_END}>
                    <FactInput form={form} field="rsitClass" />
                    <FactInput form={form} field="rsitType" />
                  </SimpleGrid>
                  <FactInput form={form} field="detectionSource" />
                  <FactInput form={form} field="ongoing" />
                </Stack>,
              )}
              {section(
                2,
                'impact',
                t('reportForm.impact'),
                t('reportForm.impactHint'),
                <Stack gap="sm">
                  <FactInput form={form} field="affectedServices" />
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" style={ALIGN_END}>
                    <FactInput form={form} field="usersAffected" />
                    <FactInput form={form} field="downtimeHours" />
                    <FactInput form={form} field="financialLoss" />
                  </SimpleGrid>
                  <FactInput form={form} field="suspectedMalicious" />
                  <FactInput form={form} field="personalData" />
                  {values.personalData === 'yes' && <FactInput form={form} field="personalDataRecords" />}
                  <FactInput form={form} field="crossBorder" />
                  {values.crossBorder === 'yes' && <FactInput form={form} field="crossBorderCountries" />}
                  <FactInput form={form} field="healthImpact" />
                  <FactInput form={form} field="affectedSectors" />
                  <FactInput form={form} field="mitigation" />
                </Stack>,
              )}
              {section(
                3,
                'indicators',
                t('reportForm.indicators'),
                t('reportForm.indicatorsHint'),
                <FactInput form={form} field="indicators" />,
              )}
              {section(
                4,
                'sharing',
                t('reportForm.sharing'),
                t('reportForm.sharingHint'),
                <Stack gap="sm">
                  <FactInput form={form} field="tlp" />
                  {values.tlp === 'RED' && (
                    <Stack gap={4}>
                      <MultiSelect
                        label={t('reportForm.redRecipients')}
                        description={t('reportForm.redRecipientsHint')}
                        required
                        searchable
                        data={(redRecipients.data ?? []).map((r) => ({
                          value: r.id,
                          label: `${r.name} · ${isRole(r.role) ? t(`roles.${r.role}`) : r.role}`,
                        }))}
                        nothingFoundMessage={t('common.nothingFound')}
                        comboboxProps={{ withinPortal: true }}
                        disabled={redRecipients.isPending}
                        {...form.getInputProps('redRecipients')}
                      />
                      {redRecipients.isError && (
                        <ErrorAlert
                          error={redRecipients.error}
                          onRetry={() => void redRecipients.refetch()}
                        />
                      )}
                    </Stack>
                  )}
                  <Select
                    label={t('reportForm.stage')}
                    description={t('reportForm.stageHint')}
                    placeholder={t('reportForm.stageAuto')}
                    data={STAGE_KINDS.map((k) => ({ value: k, label: names.stageKind(k) }))}
                    clearable
                    comboboxProps={{ withinPortal: true }}
                    {...form.getInputProps('stage')}
                  />
                </Stack>,
              )}
              <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />}>
                <Text size="sm">{t('reportForm.beforeSubmit')}</Text>
              </Alert>
              <Group justify="flex-end">
                <Button
                  type="submit"
                  size="md"
                  loading={report.isPending}
                  leftSection={<IconSend size={18} aria-hidden className="qila-flip-rtl" />}
                >
                  {t('reportForm.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        {/* First on a phone: what is owed is read before the form, not after it. */}
        <Grid.Col span={{ base: 12, lg: 4 }} order={{ base: 1, lg: 2 }}>
          {/* Scrolls by itself when taller than the window, so it takes keyboard focus. */}
          <Box className="qila-sticky-side" tabIndex={0}>
            <DutiesGuide values={values} />
          </Box>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
