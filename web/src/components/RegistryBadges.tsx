import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isDesignation } from '../app/registry';

// Severity colours with black or white text chosen for contrast; the badge always says the tier.
const TIER_COLOR: Record<number, string> = { 1: 'red.9', 2: 'orange.4', 3: 'yellow.3' };

/** "Tier 1" (or "Not CII"): the words carry the meaning, the colour only repeats it. */
export function TierBadge({
  tier,
  size = 'sm',
  long,
}: {
  tier: number | null;
  size?: BadgeProps['size'];
  long?: boolean;
}) {
  const { t } = useTranslation();
  const color = tier !== null ? TIER_COLOR[tier] : undefined;
  if (tier === null || !color) {
    return (
      <Badge color="gray.7" variant="outline" size={size} className="qila-badge-fit">
        {t('registry.notCii')}
      </Badge>
    );
  }
  return (
    <Badge color={color} autoContrast size={size} className="qila-badge-fit">
      {long ? t('registry.tierLong', { tier }) : t('registry.tierBadge', { tier })}
    </Badge>
  );
}

const DESIGNATION_STYLE = {
  essential: { color: 'indigo.8', variant: 'filled' },
  important: { color: 'indigo.8', variant: 'outline' },
  other: { color: 'gray.7', variant: 'outline' },
} as const;

/** Essential, Important or Other, in words. */
export function DesignationBadge({
  designation,
  size = 'sm',
}: {
  designation: string;
  size?: BadgeProps['size'];
}) {
  const { t } = useTranslation();
  const style = isDesignation(designation) ? DESIGNATION_STYLE[designation] : DESIGNATION_STYLE.other;
  return (
    <Badge color={style.color} variant={style.variant} size={size} className="qila-badge-fit">
      {isDesignation(designation) ? t(`designations.${designation}`) : designation}
    </Badge>
  );
}
