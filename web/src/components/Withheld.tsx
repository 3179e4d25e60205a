import { Group, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';

/** `whole_row`: a row's whole breakdown, withheld without saying which of the other two. */
export type WithheldReason = 'below_cohort' | 'complementary' | 'whole_row';

/** How every suppressed figure reads: a dash, with the reason for a screen reader and on hover. */
export function Withheld({ reason, minCohort }: { reason: WithheldReason | null; minCohort: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const why = t(`disclosure.${reason ?? 'below_cohort'}`, { n: fmt.number(minCohort) });
  const text = t('disclosure.cell', { why });
  return (
    <span title={text} data-withheld={reason ?? 'below_cohort'}>
      <span aria-hidden>—</span>
      <VisuallyHidden>{text}</VisuallyHidden>
    </span>
  );
}

/** The key to the dashes, shown under a view whenever it withholds something. */
export function WithheldLegend({
  reasons,
  minCohort,
}: {
  reasons: readonly (WithheldReason | null)[];
  minCohort: number;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const present = (['below_cohort', 'complementary', 'whole_row'] as const).filter((r) =>
    reasons.includes(r),
  );
  if (!present.length) return null;
  return (
    <Group gap="xs" align="baseline" data-testid="withheld-legend">
      <Text size="sm" fw={600}>
        {t('disclosure.legendTitle')}
      </Text>
      {present.map((r) => (
        <Text key={r} size="sm" c="dimmed">
          {t(`disclosure.${r}`, { n: fmt.number(minCohort) })}
        </Text>
      ))}
    </Group>
  );
}
