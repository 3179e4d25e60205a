import {
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toLocalInput } from '../../app/datetime';
import { useIncidentNames } from '../../app/incidentNames';
import {
  SEVERITIES,
  TLPS,
  TLP_STYLE,
  isSeverity,
  useReferenceData,
  type FactField,
  type Tlp,
} from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { IndicatorRows } from '../../components/IndicatorRows';
import type { FactForm, TriState } from './facts';

const isTri = (v: string): v is TriState => v === 'yes' || v === 'no' || v === 'unknown';

/** Yes / No / Not known yet, as a radio group (arrow keys move between them). */
function TriStateInput({
  label,
  description,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  description?: string;
  value: TriState;
  onChange: (v: TriState) => void;
  error?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      label={label}
      description={description}
      value={value}
      onChange={(v) => isTri(v) && onChange(v)}
      error={error}
      data-testid={testId}
    >
      <Group gap="lg" mt={6}>
        <Radio value="yes" label={t('facts.tri.yes')} />
        <Radio value="no" label={t('facts.tri.no')} />
        <Radio value="unknown" label={t('facts.tri.unknown')} />
      </Group>
    </Radio.Group>
  );
}

/** The TLP labels with a line on what each allows; shared by reports and advisories. */
export function TlpChoice({
  value,
  onChange,
  options,
  error,
  label,
}: {
  value: string;
  onChange: (v: Tlp) => void;
  options: readonly Tlp[];
  error?: ReactNode;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      label={label}
      value={value}
      onChange={(v) => {
        const o = options.find((x) => x === v);
        if (o) onChange(o);
      }}
      error={error}
      required
    >
      <Stack gap="sm" mt="xs">
        {options.map((o) => (
          <Radio
            key={o}
            value={o}
            label={
              <span
                className="qila-tlp"
                lang="en"
                dir="ltr"
                style={{
                  background: TLP_STYLE[o].bg,
                  color: TLP_STYLE[o].fg,
                  border: TLP_STYLE[o].border ? `1px solid ${TLP_STYLE[o].border}` : undefined,
                }}
              >
                TLP:{o}
              </span>
            }
            description={t(`incidents.tlpHints.${o}`)}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

/** One fact's input, labelled and wired to the form; the same in the first report and later ones. */
export function FactInput({
  form,
  field,
  required,
}: {
  form: FactForm;
  field: FactField;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const reference = useReferenceData();
  const label = t(`facts.labels.${field}`);
  const props = form.getInputProps(field);
  const v = form.getValues();
  const nowLocal = toLocalInput(new Date());

  switch (field) {
    case 'title':
      return <TextInput label={label} required maxLength={200} {...props} />;
    case 'summary':
      return (
        <Textarea
          label={label}
          description={t('facts.hints.summary')}
          required
          autosize
          minRows={3}
          maxLength={5000}
          {...props}
        />
      );
    case 'mitigation':
    case 'rootCause':
    case 'lessonsLearned':
      return (
        <Textarea
          label={label}
          description={t(`facts.hints.${field}`)}
          required={required}
          autosize
          minRows={2}
          maxLength={5000}
          {...props}
        />
      );
    case 'detectionSource':
      return (
        <TextInput
          label={label}
          description={t('facts.hints.detectionSource')}
          required={required}
          maxLength={200}
          {...props}
        />
      );
    case 'awareAt':
    case 'detectedAt':
    case 'classifiedAt':
      return (
        <TextInput
          type="datetime-local"
          label={label}
          description={t(`facts.hints.${field}`)}
          required={required || field === 'awareAt'}
          max={nowLocal}
          {...props}
        />
      );
    case 'severity':
      return (
        <Radio.Group
          label={label}
          description={t('facts.hints.severity')}
          required
          {...props}
          onChange={(s) => isSeverity(s) && form.setFieldValue('severity', s)}
        >
          <Group gap="lg" mt={6}>
            {SEVERITIES.map((s) => (
              <Radio key={s} value={s} label={t(`incidents.severities.${s}`)} />
            ))}
          </Group>
        </Radio.Group>
      );
    case 'rsitClass':
      return (
        <Select
          label={label}
          description={t('facts.hints.rsitClass')}
          required
          searchable
          data={(reference.data?.taxonomy.classes ?? []).map((c) => ({
            value: c.code,
            label: incidentNames.rsitClass(c.code),
          }))}
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          {...props}
          onChange={(c) => {
            form.setFieldValue('rsitClass', c);
            // A type belongs to its class.
            form.setFieldValue('rsitType', null);
          }}
        />
      );
    case 'rsitType': {
      const cls = reference.data?.taxonomy.classes.find((c) => c.code === v.rsitClass);
      return (
        <Select
          label={label}
          required
          searchable
          disabled={!cls}
          placeholder={cls ? undefined : t('facts.hints.rsitTypeFirst')}
          data={(cls?.types ?? []).map((x) => ({ value: x, label: incidentNames.rsitType(x) }))}
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          {...props}
        />
      );
    }
    case 'affectedServices':
      return (
        <TagsInput
          label={label}
          description={t('facts.hints.affectedServices')}
          required={required}
          maxTags={50}
          clearable
          {...props}
        />
      );
    case 'affectedSectors':
      return (
        <MultiSelect
          label={label}
          description={t('facts.hints.affectedSectors')}
          required={required}
          data={names.sectorOptions}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          comboboxProps={{ withinPortal: true }}
          {...props}
        />
      );
    case 'usersAffected':
    case 'personalDataRecords':
      return (
        <NumberInput
          label={label}
          required={required}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator
          {...props}
        />
      );
    case 'downtimeHours':
      return (
        <NumberInput
          label={label}
          description={t('facts.hints.downtimeHours')}
          required={required}
          min={0}
          decimalScale={1}
          allowNegative={false}
          {...props}
        />
      );
    case 'financialLoss': {
      const currency = names.jurisdiction?.currency ?? 'PKR';
      return (
        <NumberInput
          label={t('facts.labelsWithCurrency.financialLoss', { currency })}
          description={t('facts.hints.financialLoss')}
          required={required}
          min={0}
          allowNegative={false}
          decimalScale={0}
          thousandSeparator
          leftSection={
            <Text size="xs" fw={700} c="dimmed" lang="en">
              {currency}
            </Text>
          }
          leftSectionWidth={48}
          {...props}
        />
      );
    }
    case 'personalData':
    case 'crossBorder':
    case 'suspectedMalicious':
    case 'healthImpact':
    case 'ongoing':
      return (
        <TriStateInput
          label={label}
          description={t(`facts.hints.${field}`)}
          value={v[field]}
          onChange={(x) => form.setFieldValue(field, x)}
          error={props.error as ReactNode}
          testId={`fact-${field}`}
        />
      );
    case 'crossBorderCountries':
      return <CountriesInput form={form} required={required} />;
    case 'indicators':
      return (
        <IndicatorRows
          rows={v.indicators}
          onChange={(rows) => form.setFieldValue('indicators', rows)}
          errorOf={(i) => form.errors[`indicators.${i}.value`]}
          hint={t('facts.hints.indicators')}
        />
      );
    case 'tlp':
      return (
        <TlpChoice
          label={label}
          value={v.tlp}
          onChange={(x) => form.setFieldValue('tlp', x)}
          options={TLPS}
          error={props.error as ReactNode}
        />
      );
  }
}

/** Two-letter country codes, with each country's name in the interface language beneath. */
function CountriesInput({ form, required }: { form: FactForm; required?: boolean }) {
  const { t, i18n } = useTranslation();
  const codes = form.getValues().crossBorderCountries;
  let display: Intl.DisplayNames | null = null;
  try {
    display = new Intl.DisplayNames([i18n.language], { type: 'region' });
  } catch {
    display = null;
  }
  const named = codes.map((c) => (/^[A-Z]{2}$/.test(c) ? (display?.of(c) ?? c) : c));
  return (
    <Stack gap={4}>
      <TagsInput
        label={t('facts.labels.crossBorderCountries')}
        description={t('facts.hints.crossBorderCountries')}
        required={required}
        maxTags={250}
        clearable
        {...form.getInputProps('crossBorderCountries')}
        onChange={(list) =>
          form.setFieldValue(
            'crossBorderCountries',
            list.map((c) => c.trim().toUpperCase()).filter((c, i, all) => c && all.indexOf(c) === i),
          )
        }
      />
      {named.length > 0 && (
        <Text size="xs" c="dimmed">
          {named.join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
