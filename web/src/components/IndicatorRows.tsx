import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { OBSERVABLE_TYPES, isObservableType, type ObservableType } from '../app/incidents';

export interface IndicatorRow {
  type: ObservableType;
  value: string;
}

interface Props {
  rows: IndicatorRow[];
  onChange: (rows: IndicatorRow[]) => void;
  /** The complaint about one row's value, if any (client check or the server's). */
  errorOf?: (index: number) => ReactNode;
  /** Says what the rows are for, above them. */
  hint?: string;
}

/** Indicators of compromise as type + value rows: add, edit, remove, all by keyboard. */
export function IndicatorRows({ rows, onChange, errorOf, hint }: Props) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<IndicatorRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const types = OBSERVABLE_TYPES.map((v) => ({ value: v, label: t(`indicators.types.${v}`) }));
  return (
    <Stack gap="xs">
      {hint && (
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
      )}
      {rows.map((r, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap" data-testid="indicator-row">
          <Select
            w={170}
            style={{ flex: 'none' }}
            label={i === 0 ? t('indicators.type') : undefined}
            aria-label={t('indicators.typeOf', { n: i + 1 })}
            data={types}
            value={r.type}
            allowDeselect={false}
            onChange={(v) => isObservableType(v) && set(i, { type: v })}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            style={{ flex: 1, minWidth: 0 }}
            label={i === 0 ? t('indicators.value') : undefined}
            aria-label={t('indicators.valueOf', { n: i + 1 })}
            value={r.value}
            onChange={(e) => set(i, { value: e.currentTarget.value })}
            error={errorOf?.(i)}
            maxLength={2048}
            dir="ltr"
            placeholder={t(`indicators.placeholders.${r.type}`)}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            mt={i === 0 ? 25 : 0}
            aria-label={t('indicators.remove', { n: i + 1 })}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...rows, { type: 'ipv4', value: '' }])}
        >
          {t('indicators.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Rows with a value, trimmed: empty rows are simply not sent. */
export function filledIndicators(rows: IndicatorRow[]): IndicatorRow[] {
  return rows.map((r) => ({ type: r.type, value: r.value.trim() })).filter((r) => r.value);
}
