import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useEntityDirectory, useEntityLabel, type EntitySummary } from '../app/entities';

interface Props {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: ReactNode;
  /** Only these entities may be chosen (an entity administrator's own); no search then. */
  restrictTo?: string[] | null;
  required?: boolean;
}

/** Chooses a regulated entity: searched on the server by name or registration number. */
export function EntityPicker({ label, value, onChange, error, restrictTo, required }: Props) {
  const { t } = useTranslation();
  const entityLabel = useEntityLabel();
  const directory = useEntityDirectory();
  const optionLabel = (e: EntitySummary) => `${entityLabel(e)} · ${e.registrationNo}`;

  // Labels of every entity seen, so the chosen one keeps its name whatever the search shows.
  const known = useRef(new Map<string, string>());
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selectedLabel = value ? known.current.get(value) : undefined;
  // After a choice the box shows the chosen label; that is not a search.
  const q = debounced === selectedLabel ? '' : debounced.trim();

  const results = useQuery({
    queryKey: ['entity-search', q],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/entities', { params: { query: { q: q || undefined, limit: 20 } }, signal })),
    enabled: !restrictTo,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  const data = (() => {
    const source: EntitySummary[] = restrictTo
      ? restrictTo.map((id) => directory.data?.get(id)).filter((e): e is EntitySummary => Boolean(e))
      : (results.data?.items ?? []);
    const options = source.map((e) => ({ value: e.id, label: optionLabel(e) }));
    for (const o of options) known.current.set(o.value, o.label);
    if (value && !options.some((o) => o.value === value)) {
      const fromDirectory = directory.data?.get(value);
      const label =
        known.current.get(value) ?? (fromDirectory ? optionLabel(fromDirectory) : t('entityPicker.unknown'));
      options.unshift({ value, label });
    }
    if (restrictTo) {
      for (const id of restrictTo)
        if (!options.some((o) => o.value === id))
          options.push({ value: id, label: t('entityPicker.unknown') });
    }
    return options;
  })();

  if (restrictTo) {
    return (
      <Select
        label={label}
        data={data}
        value={value}
        onChange={onChange}
        error={error}
        required={required}
        allowDeselect={false}
        placeholder={t('entityPicker.choose')}
      />
    );
  }

  return (
    <Select
      label={label}
      description={t('entityPicker.hint')}
      placeholder={t('entityPicker.search')}
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server has already filtered by name and registration number.
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? t('common.loading') : t('common.nothingFound')}
      rightSection={results.isFetching ? <Loader size={14} aria-hidden /> : undefined}
      error={error}
      required={required}
      clearable
      clearButtonProps={{ 'aria-label': t('entityPicker.clear') }}
      maxDropdownHeight={280}
    />
  );
}
