import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isFactField, isStageKind, useReferenceData } from './incidents';

/**
 * Names for the codes incidents carry (RSIT classes and types, stage kinds, fact fields) in the
 * interface language. The server speaks English and codes; unknown codes show as they are.
 */
export function useIncidentNames() {
  const { t, i18n } = useTranslation();
  const reference = useReferenceData();
  const classes = t('rsit.classes', { returnObjects: true }) as Record<string, string>;
  const types = t('rsit.types', { returnObjects: true }) as Record<string, string>;
  const english = i18n.language === 'en';

  const rsitClass = useCallback(
    (code: string) =>
      classes[code] ?? reference.data?.taxonomy.classes.find((c) => c.code === code)?.name ?? code,
    [classes, reference.data],
  );
  const rsitType = useCallback((code: string) => types[code] ?? code, [types]);
  const stageKind = useCallback(
    (kind: string) => (isStageKind(kind) ? t(`stageKinds.${kind}`) : kind.replace('_', ' ')),
    [t],
  );
  const field = useCallback((f: string) => (isFactField(f) ? t(`facts.labels.${f}`) : f), [t]);

  /** A stage as the regime names it in English, or its kind translated in other languages. */
  const stage = useCallback(
    (d: { kind: string; stageName?: string | null }) =>
      english && d.stageName ? d.stageName : stageKind(d.kind),
    [english, stageKind],
  );

  return useMemo(
    () => ({ rsitClass, rsitType, stageKind, stage, field, regimes: reference.data?.regimes }),
    [rsitClass, rsitType, stageKind, stage, field, reference.data],
  );
}
