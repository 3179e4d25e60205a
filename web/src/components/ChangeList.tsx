import { Box, Group, Text, VisuallyHidden } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNames } from '../app/jurisdiction';
import { isEntityKind, isSize, type EntityDetail } from '../app/registry';
import { useFormat } from '../i18n/format';

const FIELDS = [
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
] as const;
type Field = (typeof FIELDS)[number];
const isField = (f: string): f is Field => (FIELDS as readonly string[]).includes(f);

/** The current value of a requested field, from the entity as it is now. */
function currentValue(entity: EntityDetail, field: Field): unknown {
  return field === 'parentId' ? (entity.parent?.id ?? null) : entity[field];
}

/** A field's value in words: names for codes, the jurisdiction's currency for turnover. */
export function useChangeValue(): (field: string, value: unknown) => string {
  const { t } = useTranslation();
  const names = useNames();
  const fmt = useFormat();
  return useCallback(
    (field, value) => {
      if (value === null || value === undefined || value === '') return t('changes.none');
      const s =
        typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
      switch (field) {
        case 'sector':
          return names.sector(s);
        case 'subsector':
          return names.subsector(s);
        case 'adminUnit':
          return names.adminUnit(s);
        case 'kind':
          return isEntityKind(s) ? t(`kinds.${s}`) : s;
        case 'size':
          return isSize(s) ? t(`sizes.${s}`) : s;
        case 'annualTurnover':
          return typeof value === 'number' ? fmt.money(value, names.jurisdiction?.currency) : s;
        default:
          return s;
      }
    },
    [t, names, fmt],
  );
}

/**
 * Requested changes as "field: old → new"; the old value is known when the entity is given
 * (for pending requests, whose entity still has the old values).
 */
export function ChangeList({ changes, entity }: { changes: Record<string, unknown>; entity?: EntityDetail }) {
  const { t } = useTranslation();
  const valueOf = useChangeValue();
  return (
    <Box component="dl" m={0}>
      {Object.entries(changes).map(([field, next]) => {
        const label = isField(field) ? t(`entityFields.${field}`) : field;
        const before = entity && isField(field) ? currentValue(entity, field) : undefined;
        return (
          <Group key={field} gap={6} wrap="wrap" align="baseline" py={2}>
            <Text component="dt" size="sm" fw={700}>
              {t('changes.fieldLabel', { field: label })}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {entity ? (
                <>
                  <span className="qila-old-value">{valueOf(field, before)}</span>
                  <IconArrowRight
                    size={14}
                    className="qila-flip-rtl"
                    style={{ marginInline: 6, verticalAlign: 'middle' }}
                    aria-hidden
                  />
                  <VisuallyHidden>{t('changes.becomes')}</VisuallyHidden>
                  <strong>{valueOf(field, next)}</strong>
                </>
              ) : (
                <strong>{valueOf(field, next)}</strong>
              )}
            </Text>
          </Group>
        );
      })}
    </Box>
  );
}
