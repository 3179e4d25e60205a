import { Button, Group, Paper } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EntityPicker } from '../../components/EntityPicker';

/**
 * The filters of a supervision list: the list's own (children), the entity for those who see
 * several, and a button that clears them all.
 */
export function FilterBar({
  children,
  entityId,
  onEntity,
  showEntity,
  filtered,
  onClear,
}: {
  children: ReactNode;
  entityId: string | null;
  onEntity: (id: string | null) => void;
  showEntity: boolean;
  filtered: boolean;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper p="md" component="section" aria-label={t('incidents.filters')}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        {children}
        {showEntity && (
          <div style={{ flex: 1, minWidth: 260, maxWidth: 480 }}>
            <EntityPicker label={t('supervision.entity')} value={entityId} onChange={onEntity} />
          </div>
        )}
        <Button
          variant="default"
          size="sm"
          leftSection={<IconFilterOff size={14} aria-hidden />}
          disabled={!filtered}
          onClick={onClear}
        >
          {t('registry.clearFilters')}
        </Button>
      </Group>
    </Paper>
  );
}
