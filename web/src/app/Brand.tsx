import { Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconBuildingCastle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The product mark: "Qila" and, when known, the authority and country it serves. */
export function Brand({ subtitle }: { subtitle?: string }) {
  const { t } = useTranslation();
  // Named by its visible text, so "click Qila" works with speech input (WCAG 2.5.3), plus a
  // hidden word saying where it leads.
  return (
    <Link to="/" className="qila-brand mantine-focus-auto">
      <Group gap="xs" wrap="nowrap">
        <IconBuildingCastle size={30} stroke={1.6} aria-hidden />
        <Stack gap={0}>
          <Text className="qila-brand-name" fw={700} size="lg" lh={1.2}>
            {t('app.name')}
          </Text>
          {subtitle && (
            <Text size="xs" lh={1.3} visibleFrom="sm" opacity={0.9}>
              {subtitle}
            </Text>
          )}
          <VisuallyHidden>{t('nav.home')}</VisuallyHidden>
        </Stack>
      </Group>
    </Link>
  );
}
