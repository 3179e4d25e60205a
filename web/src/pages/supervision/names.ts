import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isCaseEvent, isFactCode, isFactor, isViolation } from '../../app/supervision';

/**
 * Names for the codes supervision records carry (violations, factors, facts, case steps), in the
 * interface language; the server's English wording is the fallback for anything new.
 */
export function useSupervisionNames() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      violation: (code: string, fallback?: string) =>
        isViolation(code) ? t(`supervision.violations.${code}`) : (fallback ?? code),
      factor: (code: string, fallback?: string) =>
        isFactor(code) ? t(`supervision.factors.${code}`) : (fallback ?? code),
      /** A short name for a compliance fact, or null for a code this interface does not know. */
      fact: (code: string) => (isFactCode(code) ? t(`supervision.facts.${code}`) : null),
      caseEvent: (step: string) => (isCaseEvent(step) ? t(`supervision.caseEvents.${step}`) : step),
      /** A plan candidate's reason ("CII tier 1", "Never audited") in the interface language. */
      reason: (label: string) => {
        let m: RegExpExecArray | null;
        if ((m = /^CII tier (\d)$/.exec(label))) return t('supervision.reasons.tier', { tier: m[1] });
        if (label === 'Not designated') return t('supervision.reasons.notDesignated');
        if (label === 'No accepted assessment') return t('supervision.reasons.noAssessment');
        if ((m = /^Assessment score (\d+)$/.exec(label)))
          return t('supervision.reasons.score', { score: m[1] });
        if ((m = /^(\d+) late incident report\(s\)$/.exec(label)))
          return t('supervision.reasons.late', { count: Number(m[1]) });
        if ((m = /^(\d+) missing incident report\(s\)$/.exec(label)))
          return t('supervision.reasons.missing', { count: Number(m[1]) });
        if ((m = /^(\d+) incident\(s\) in 12 months$/.exec(label)))
          return t('supervision.reasons.incidents', { count: Number(m[1]) });
        if (label === 'Never audited') return t('supervision.reasons.neverAudited');
        if ((m = /^Last audited (\d{4}-\d{2}-\d{2})$/.exec(label)))
          return t('supervision.reasons.lastAudited', { date: m[1] });
        if (label === 'Added by the Authority') return t('supervision.reasons.added');
        return label;
      },
    }),
    [t],
  );
}
