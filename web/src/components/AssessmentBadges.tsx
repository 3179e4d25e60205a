import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BANDS, STATUS_COLOR, bandOf, isStatus } from '../app/assessments';
import { useFormat } from '../i18n/format';
import { CodeBadge, type BadgeSize } from './CodeBadge';

/** An assessment's status in words; the colour only repeats it. */
export function StatusBadge({ status, size = 'sm' }: { status: string; size?: BadgeSize }) {
  const { t } = useTranslation();
  return (
    <CodeBadge
      value={status}
      known={isStatus}
      color={STATUS_COLOR}
      label={(s) => t(`assessments.statuses.${s}`)}
      variant={(s) => (s === 'not_started' ? 'outline' : 'filled')}
      size={size}
    />
  );
}

/** A 0-100 score as a number, or "no score" when there is none. */
export function useScoreText(): (score: number | null | undefined) => string {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (score) => (score === null || score === undefined ? t('assessments.noScore') : fmt.number(score));
}

/** The score bands with their names and ranges: the key to every heatmap's colours. */
export function BandLegend() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Group gap="sm" wrap="wrap" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      <Text component="li" size="xs" c="dimmed" fw={700}>
        {t('assessments.bands.legend')}
      </Text>
      {BANDS.map((b, i) => {
        const max = BANDS[i + 1] ? BANDS[i + 1]!.min - 1 : 100;
        return (
          <Group key={b.key} component="li" gap={6} wrap="nowrap">
            <span
              className="qila-swatch"
              style={{ background: b.bg, border: `1px solid ${b.fg}` }}
              aria-hidden
            />
            <Text size="xs">
              {t('assessments.bands.range', {
                band: t(`assessments.bands.${b.key}`),
                from: fmt.number(b.min),
                to: fmt.number(max),
              })}
            </Text>
          </Group>
        );
      })}
    </Group>
  );
}

/** A score cell's colours and band name, for heatmap cells and bars. */
export function useBand() {
  const { t } = useTranslation();
  return (score: number) => {
    const b = bandOf(score);
    return { ...b, label: t(`assessments.bands.${b.key}`) };
  };
}
