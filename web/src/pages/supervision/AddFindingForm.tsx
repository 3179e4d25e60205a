import { Button, Group, Radio, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { SEVERITIES, type Severity } from '../../app/incidents';
import { auditKey, isCheckResult, type Audit, type ChecklistItem } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';

interface Values {
  itemId: string | null;
  title: string;
  description: string;
  severity: Severity | '';
}

// Items with a gap first: they are what findings are usually about.
const rank = (c: ChecklistItem) => (c.result === 'major_gap' ? 0 : c.result === 'minor_gap' ? 1 : 2);

/** The lead auditor records a finding, tied to a checklist requirement when there is one. */
export function AddFindingForm({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { itemId: null, title: '', description: '', severity: '' },
    validate: {
      title: (v) => (v.trim().length >= 3 ? null : t('supervision.findings.titleRequired')),
      description: (v) => (v.trim() ? null : t('supervision.findings.descriptionRequired')),
      severity: (v) => (v ? null : t('supervision.findings.severityRequired')),
    },
  });
  const add = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/supervision/audits/{id}/findings', {
          params: { path: { id: audit.id } },
          body: {
            itemId: v.itemId,
            title: v.title.trim(),
            description: v.description.trim(),
            severity: v.severity as Severity,
          },
        }),
      ),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: auditKey(audit.id) });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const f = fieldOf(e.path);
        if (f in form.getValues()) form.setFieldError(f, e.message);
      }
    },
  });
  const options = [...audit.checklist]
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => ({
      value: c.itemId,
      label: `${c.itemId} · ${isCheckResult(c.result) ? t(`supervision.results.${c.result}`) : c.result}`,
    }));
  return (
    <Section
      id="add-finding"
      title={t('supervision.findings.add')}
      description={t('supervision.findings.addHint')}
    >
      <form noValidate onSubmit={form.onSubmit((v) => add.mutate(v))} data-testid="finding-form">
        <Stack gap="sm">
          {add.isError && <ErrorAlert error={add.error} title={t('supervision.findings.addFailed')} />}
          <Select
            label={t('supervision.findings.item')}
            description={t('supervision.findings.itemHint')}
            placeholder={t('supervision.findings.noItem')}
            data={options}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('itemId')}
          />
          <TextInput
            label={t('supervision.findings.titleLabel')}
            required
            maxLength={300}
            {...form.getInputProps('title')}
          />
          <Textarea
            label={t('supervision.findings.description')}
            required
            autosize
            minRows={3}
            maxLength={5000}
            {...form.getInputProps('description')}
          />
          <Radio.Group
            label={t('supervision.findings.severity')}
            required
            {...form.getInputProps('severity')}
          >
            <Group gap="lg" mt={6}>
              {SEVERITIES.map((s) => (
                <Radio key={s} value={s} label={t(`incidents.severities.${s}`)} />
              ))}
            </Group>
          </Radio.Group>
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('supervision.findings.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
