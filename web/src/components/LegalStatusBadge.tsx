import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { BadgeSize } from './CodeBadge';

/** The `legalStatus` every rule set carries in API answers. */
export interface LegalStatusView {
  status: string;
  basis: string;
  note: string;
  binding: boolean;
}

const STATUSES = ['in_force', 'adopted_not_in_force', 'draft', 'proposed', 'placeholder'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);
const COLOR: Record<Status, string> = {
  in_force: 'teal.8',
  adopted_not_in_force: 'blue.8',
  draft: 'orange.8',
  proposed: 'orange.8',
  placeholder: 'grape.8',
};

/**
 * How binding a rule set is ("Proposed law", "Draft", "Illustration"), with its basis beside it and
 * the catalog's note on hover or focus. Not-yet-law is filled so it cannot be missed.
 */
export function LegalStatusBadge({
  legalStatus: ls,
  size = 'sm',
  withBasis = true,
}: {
  legalStatus: LegalStatusView;
  size?: BadgeSize;
  withBasis?: boolean;
}) {
  const { t } = useTranslation();
  const status = isStatus(ls.status) ? ls.status : null;
  const label = status ? t(`legalStatus.statuses.${status}`) : ls.status;
  const basis = ls.basis === 'none yet' ? t('legalStatus.noneYet') : ls.basis;
  return (
    <Group gap={6} wrap="wrap" align="center" data-testid="legal-status" data-status={ls.status}>
      <Tooltip
        label={<span lang="en">{ls.note}</span>}
        multiline
        w={320}
        withArrow
        events={{ hover: true, focus: true, touch: true }}
      >
        <Badge
          tabIndex={0}
          color={status ? COLOR[status] : 'gray.7'}
          variant={ls.binding ? 'outline' : 'filled'}
          autoContrast
          size={size}
          className="qila-badge-fit"
          leftSection={<IconScale size={12} aria-hidden />}
          aria-label={`${label}. ${t('legalStatus.basis', { basis })}`}
        >
          {label}
        </Badge>
      </Tooltip>
      {withBasis && (
        <Text size="xs" c="dimmed">
          {t('legalStatus.basisLabel')}{' '}
          {/* The instrument's name is English: isolated, so its brackets stay right in Urdu. */}
          <bdi lang={ls.basis === 'none yet' ? undefined : 'en'}>{basis}</bdi>
        </Text>
      )}
    </Group>
  );
}
