import {
  Button,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, STATUSES, type IncidentFilters } from '../../app/incidents';

// Short choices stay on one line (the global style lets long maturity labels wrap).
const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

export type FilterPatch = Partial<Record<keyof IncidentFilters, string>>;

/** The list's filters; every change goes to the page address, so a filtered list can be shared. */
export function IncidentFilterBar({
  filters,
  handler,
  onChange,
  onClear,
}: {
  filters: IncidentFilters;
  handler: boolean;
  onChange: (patch: FilterPatch) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  // The search box is typed into freely; the address follows after a pause (and follows it back).
  const [search, setSearch] = useState(filters.q);
  const [urlQ, setUrlQ] = useState(filters.q);
  if (filters.q !== urlQ) {
    setUrlQ(filters.q);
    if (search.trim() !== filters.q) setSearch(filters.q);
  }
  const pushSearch = useDebouncedCallback((value: string) => onChange({ q: value.trim() }), 350);
  const filtered =
    filters.status.length > 0 ||
    filters.severity.length > 0 ||
    filters.overdue ||
    filters.late ||
    filters.mine ||
    filters.q !== '';
  const flag = (key: 'overdue' | 'late' | 'mine', label: string) => (
    <Switch
      label={label}
      checked={filters[key]}
      onChange={(e) => onChange({ [key]: e.currentTarget.checked ? 'true' : '' })}
    />
  );

  return (
    <Paper p="md" component="section" aria-label={t('incidents.filters')}>
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <SegmentedControl
            style={{ flex: 'none' }}
            styles={NOWRAP_LABELS}
            aria-label={t('incidents.view')}
            value={filters.view}
            onChange={(v) => onChange({ view: v })}
            data={[
              { value: 'queue', label: t('incidents.views.queue') },
              { value: 'recent', label: t('incidents.views.recent') },
            ]}
          />
          <TextInput
            style={{ flex: 1, minWidth: 220 }}
            label={t('incidents.search')}
            description={t('incidents.searchHint')}
            type="search"
            value={search}
            maxLength={100}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') pushSearch.flush();
            }}
            leftSection={<IconSearch size={16} aria-hidden />}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <MultiSelect
            label={t('incidents.status')}
            placeholder={filters.status.length ? undefined : t('incidents.anyStatus')}
            data={STATUSES.map((s) => ({ value: s, label: t(`incidents.statuses.${s}`) }))}
            value={filters.status}
            onChange={(v) => onChange({ status: v.join(',') })}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          <MultiSelect
            label={t('incidents.severity')}
            placeholder={filters.severity.length ? undefined : t('incidents.anySeverity')}
            data={SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severities.${s}`) }))}
            value={filters.severity}
            onChange={(v) => onChange({ severity: v.join(',') })}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <Group gap="lg" wrap="wrap" justify="space-between">
          <Group gap="lg" wrap="wrap">
            {flag('overdue', t('incidents.onlyOverdue'))}
            {flag('late', t('incidents.onlyLate'))}
            {handler && flag('mine', t('incidents.onlyMine'))}
          </Group>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconFilterOff size={14} aria-hidden />}
            disabled={!filtered && !search}
            onClick={() => {
              pushSearch.cancel();
              setSearch('');
              onClear();
            }}
          >
            {t('registry.clearFilters')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
