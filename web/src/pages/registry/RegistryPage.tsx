import {
  Anchor,
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  IconAdjustmentsHorizontal,
  IconDownload,
  IconFileImport,
  IconFilterOff,
  IconGitPullRequest,
  IconMoodEmpty,
  IconPlus,
  IconSearch,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useUrlFilters } from '../../app/urlFilters';
import { api, unwrap } from '../../api/client';
import { useAuth, useMe } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import {
  DESIGNATIONS,
  ENTITY_KINDS,
  FILTER_KEYS,
  TIERS,
  filtersToQuery,
  localName,
  readFilters,
  type EntityFilters,
  type EntitySummary,
  type FilterKey,
  type TierKey,
} from '../../app/registry';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { DesignationBadge, TierBadge } from '../../components/RegistryBadges';
import { Withheld, WithheldLegend, type WithheldReason } from '../../components/Withheld';
import { useFormat } from '../../i18n/format';
import { EntityFormModal } from './EntityFormModal';
import { LoadMoreFooter } from '../../components/LoadMoreFooter';

const PAGE_SIZE = 50;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function RegistryPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { params, patch, reset } = useUrlFilters();
  const filters = readFilters(params);
  const filtered = FILTER_KEYS.some((k) => filters[k]);
  const [registering, setRegistering] = useState(false);

  // A subsector belongs to its sector.
  const setFilter = (name: FilterKey, value: string) =>
    patch(name === 'sector' ? { sector: value, subsector: null } : { [name]: value });
  const clearFilters = () => reset();

  return (
    <Stack gap="md">
      <PageHeader
        title={t('registry.title')}
        description={t('registry.description')}
        actions={
          <Group gap="xs">
            {can('entities.manage') && <ChangeRequestsLink />}
            {can('registry.import') && (
              <Button
                component={Link}
                to="/registry/import"
                variant="default"
                leftSection={<IconFileImport size={16} aria-hidden />}
              >
                {t('registry.import')}
              </Button>
            )}
            {can('entities.manage') && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setRegistering(true)}>
                {t('registry.register')}
              </Button>
            )}
          </Group>
        }
      />

      <FilterBar filters={filters} filtered={filtered} onChange={setFilter} onClear={clearFilters} />

      {can('national.aggregates.read') && (
        <CountsStrip filters={filters} onTier={(tier) => setFilter('tier', tier ?? '')} />
      )}

      <Results filters={filters} filtered={filtered} onClear={clearFilters} />

      {can('entities.manage') && (
        <EntityFormModal mode="create" opened={registering} onClose={() => setRegistering(false)} />
      )}
    </Stack>
  );
}

function ChangeRequestsLink() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pending = useQuery({
    queryKey: ['registry', 'change-requests', 'pending'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/registry/change-requests', { params: { query: { status: 'pending' } }, signal })),
  });
  const count = pending.data?.items.length ?? 0;
  return (
    <Button
      component={Link}
      to="/registry/changes"
      variant="default"
      leftSection={<IconGitPullRequest size={16} aria-hidden />}
      rightSection={
        count > 0 ? (
          <Badge size="sm" color="orange.8" circle={count < 10} aria-hidden>
            {fmt.number(count)}
          </Badge>
        ) : undefined
      }
      aria-label={
        count > 0
          ? t('registry.changeRequestsPending', { count, formatted: fmt.number(count) })
          : t('registry.changeRequests')
      }
    >
      {t('registry.changeRequests')}
    </Button>
  );
}

function FilterBar({
  filters,
  filtered,
  onChange,
  onClear,
}: {
  filters: EntityFilters;
  filtered: boolean;
  onChange: (name: FilterKey, value: string) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const me = useMe();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const [more, { toggle }] = useDisclosure(false);
  // A sector regulator's registry holds only their sectors (a provincial officer's, their units):
  // offer only those, so no choice leads to an empty list.
  const onlyScope = (kind: 'sector' | 'admin_unit') => {
    const roles = me.roles.filter((r) => r.scopeKind !== 'audit');
    return roles.length > 0 && roles.every((r) => r.scopeKind === kind && r.scopeValue)
      ? new Set(roles.map((r) => r.scopeValue))
      : null;
  };
  const sectorScope = onlyScope('sector');
  const unitScope = onlyScope('admin_unit');
  const sectorOptions = sectorScope
    ? names.sectorOptions.filter((o) => sectorScope.has(o.value))
    : names.sectorOptions;
  const adminUnitOptions = unitScope
    ? names.adminUnitOptions.filter((o) => unitScope.has(o.value))
    : names.adminUnitOptions;
  // The search box is typed into freely; the address (and so the query) follows after a pause.
  // When the address changes by other means (back button, "clear filters"), the box follows it.
  const q = filters.q ?? '';
  const [search, setSearch] = useState(q);
  const [urlQ, setUrlQ] = useState(q);
  if (q !== urlQ) {
    setUrlQ(q);
    if (search.trim() !== q) setSearch(q);
  }
  const pushSearch = useDebouncedCallback((value: string) => onChange('q', value.trim()), 350);
  const others = FILTER_KEYS.filter((k) => k !== 'q' && filters[k]).length;

  const select = (
    name: FilterKey,
    label: string,
    placeholder: string,
    data: { value: string; label: string }[],
    opts: { searchable?: boolean; disabled?: boolean; description?: string } = {},
  ) => (
    <Select
      label={label}
      description={opts.description}
      placeholder={placeholder}
      data={data}
      value={filters[name] ?? null}
      onChange={(v) => onChange(name, v ?? '')}
      clearable
      searchable={opts.searchable}
      disabled={opts.disabled}
      nothingFoundMessage={t('common.nothingFound')}
      clearButtonProps={{ 'aria-label': t('registry.clearFilter', { filter: label }) }}
      comboboxProps={{ withinPortal: true }}
    />
  );

  return (
    <Paper p="md" component="section" aria-label={t('registry.filters')}>
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('registry.search')}
            description={t('registry.searchHint')}
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') pushSearch.flush();
            }}
            leftSection={<IconSearch size={16} aria-hidden />}
            maxLength={100}
          />
          {!wide && (
            <Button
              variant="default"
              onClick={toggle}
              aria-expanded={more}
              aria-controls="registry-more-filters"
              leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
            >
              {others > 0 ? t('registry.filtersCount', { n: others }) : t('registry.filters')}
            </Button>
          )}
        </Group>
        <Collapse in={wide || more} id="registry-more-filters">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="sm">
            {select('sector', t('registry.sector'), t('registry.allSectors'), sectorOptions, {
              searchable: true,
            })}
            {select(
              'subsector',
              t('registry.subsector'),
              filters.sector ? t('registry.allSubsectors') : t('registry.chooseSectorFirst'),
              names.subsectorOptions(filters.sector),
              { searchable: true, disabled: !filters.sector },
            )}
            {select('adminUnit', t('registry.adminUnit'), t('registry.allAdminUnits'), adminUnitOptions, {
              searchable: true,
            })}
            {select(
              'regulator',
              t('registry.regulator'),
              t('registry.allRegulators'),
              names.regulatorOptions,
              {
                searchable: true,
              },
            )}
            {select(
              'tier',
              t('registry.ciiTier'),
              t('registry.allTiers'),
              TIERS.map((k) => ({ value: k, label: t(`tiers.${k}`) })),
            )}
            {select(
              'kind',
              t('registry.kind'),
              t('registry.allKinds'),
              ENTITY_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })),
            )}
            {select(
              'designation',
              t('registry.designation'),
              t('registry.allDesignations'),
              DESIGNATIONS.map((d) => ({ value: d, label: t(`designations.${d}`) })),
            )}
            <Group align="flex-end">
              <Button
                variant="default"
                leftSection={<IconFilterOff size={16} aria-hidden />}
                onClick={() => {
                  pushSearch.cancel();
                  setSearch('');
                  onClear();
                }}
                disabled={!filtered && !search}
              >
                {t('registry.clearFilters')}
              </Button>
            </Group>
          </SimpleGrid>
        </Collapse>
      </Stack>
    </Paper>
  );
}

/** How many entities match, and how they split by CII tier; a tier filters the list. */
function CountsStrip({
  filters,
  onTier,
}: {
  filters: EntityFilters;
  onTier: (tier: TierKey | null) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // Every tier's count under the other filters, so any tier can be chosen; the total follows the tier filter.
  const { tier, ...others } = filters;
  const overview = useQuery({
    queryKey: ['registry', 'overview', others],
    queryFn: ({ signal }) => unwrap(api.GET('/api/registry/overview', { params: { query: others }, signal })),
    placeholderData: keepPreviousData,
  });
  if (overview.isError) return null;
  const data = overview.data;
  const minCohort = data?.disclosure.minCohort ?? 0;
  type Figure = { count: number | null; suppressed: boolean; reason: WithheldReason | null };
  const cell = (k: TierKey): Figure =>
    data?.byTier.find((x) => x.key === k) ?? { count: 0, suppressed: false, reason: null };
  const total: Figure | null = data
    ? tier
      ? cell(tier)
      : { count: data.total, suppressed: data.total === null, reason: data.totalReason }
    : null;
  // A withheld figure reads as a dash, never as a number (docs/scoring.md, "Disclosure control").
  const figure = (f: Figure) =>
    f.suppressed ? <Withheld reason={f.reason} minCohort={minCohort} /> : fmt.number(f.count ?? 0);
  const reasons = data ? [total!, ...data.byTier].map((f) => (f.suppressed ? f.reason : null)) : [];
  return (
    <Paper
      px="md"
      py="sm"
      component="section"
      aria-label={t('registry.counts')}
      aria-busy={overview.isFetching}
    >
      <Group gap="lg" wrap="wrap" align="center">
        <Stack gap={0}>
          <Text size="xs" c="dimmed" fw={600}>
            {t('registry.matching')}
          </Text>
          {total !== null ? (
            <Text fz={26} fw={700} lh={1.2} data-testid="registry-total">
              {figure(total)}
            </Text>
          ) : (
            <Skeleton h={30} w={80} />
          )}
        </Stack>
        <Group gap="xs" wrap="wrap" role="group" aria-label={t('registry.byTier')}>
          {TIERS.map((k) => {
            const active = tier === k;
            return (
              <UnstyledButton
                key={k}
                onClick={() => onTier(active ? null : k)}
                aria-pressed={active}
                className="qila-tier-chip"
                data-active={active || undefined}
              >
                <Group gap={8} wrap="nowrap">
                  <TierBadge tier={k === 'none' ? null : Number(k)} />
                  <Text size="sm" fw={700}>
                    {data ? figure(cell(k)) : '–'}
                  </Text>
                </Group>
              </UnstyledButton>
            );
          })}
        </Group>
        <WithheldLegend reasons={reasons} minCohort={minCohort} />
      </Group>
    </Paper>
  );
}

function Results({
  filters,
  filtered,
  onClear,
}: {
  filters: EntityFilters;
  filtered: boolean;
  onClear: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const wide = useMediaQuery('(min-width: 48em)', true);
  const entities = useInfiniteQuery({
    queryKey: ['entities', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/entities', {
          params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = entities.data?.pages.flatMap((p) => p.items) ?? [];
  const updating = entities.isFetching && !entities.isFetchingNextPage;
  const exportHref = (format: 'csv' | 'xlsx') =>
    `/api/entities/export?${filtersToQuery(filters, { format })}`;

  if (entities.isPending) {
    return (
      <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
        <Stack gap="xs">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} h={28} />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (entities.isError && items.length === 0) {
    return (
      <ErrorAlert
        error={entities.error}
        title={t('registry.loadFailed')}
        onRetry={() => void entities.refetch()}
        retrying={entities.isFetching}
      />
    );
  }
  if (items.length === 0) {
    return (
      <EmptyState
        icon={<IconMoodEmpty size={26} />}
        title={filtered ? t('registry.noMatchTitle') : t('registry.emptyTitle')}
        description={filtered ? t('registry.noMatchBody') : t('registry.emptyBody')}
        action={
          filtered ? (
            <Button variant="light" onClick={onClear}>
              {t('registry.clearFilters')}
            </Button>
          ) : undefined
        }
      />
    );
  }

  return (
    <Paper p={0} style={{ overflow: 'hidden' }}>
      <Group justify="space-between" px="md" py="sm" gap="xs">
        <Group gap="xs">
          <Text size="sm" c="dimmed" aria-live="polite">
            {entities.hasNextPage
              ? t('registry.showingMore', { count: items.length, formatted: fmt.number(items.length) })
              : t('registry.showingAll', { count: items.length, formatted: fmt.number(items.length) })}
          </Text>
          {updating && <Loader size={14} aria-label={t('common.loading')} />}
        </Group>
        <Group gap="xs">
          <Button
            component="a"
            href={exportHref('csv')}
            download
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} aria-hidden />}
          >
            {t('registry.exportCsv')}
          </Button>
          <Button
            component="a"
            href={exportHref('xlsx')}
            download
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} aria-hidden />}
          >
            {t('registry.exportXlsx')}
          </Button>
        </Group>
      </Group>
      <Box style={{ opacity: updating ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={updating}>
        {wide ? (
          <EntityTable items={items} language={i18n.language} />
        ) : (
          <EntityCards items={items} language={i18n.language} />
        )}
      </Box>
      <LoadMoreFooter query={entities} />
    </Paper>
  );
}

function EntityTable({ items, language }: { items: EntitySummary[]; language: string }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped highlightOnHover stickyHeader fz="sm" verticalSpacing={6}>
        <VisuallyHidden component="caption">{t('registry.title')}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('registry.name')}</Table.Th>
            <Table.Th scope="col" style={NOWRAP}>
              {t('registry.registrationNo')}
            </Table.Th>
            <Table.Th scope="col">{t('registry.sector')}</Table.Th>
            <Table.Th scope="col" style={NOWRAP}>
              {t('registry.adminUnit')}
            </Table.Th>
            <Table.Th scope="col" style={NOWRAP}>
              {t('registry.regulator')}
            </Table.Th>
            <Table.Th scope="col" style={NOWRAP}>
              {t('registry.ciiTier')}
            </Table.Th>
            <Table.Th scope="col" style={NOWRAP}>
              {t('registry.designation')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <EntityRow key={e.id} entity={e} language={language} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EntityRow({ entity: e, language }: { entity: EntitySummary; language: string }) {
  const names = useNames();
  const navigate = useNavigate();
  const name = localName(e, language);
  const to = `/registry/${e.id}`;
  return (
    // The name is the link (keyboard and screen readers); a click anywhere on the row follows it too.
    <Table.Tr
      style={{ cursor: 'pointer' }}
      onClick={(ev) => {
        if ((ev.target as HTMLElement).closest('a, button')) return;
        if (window.getSelection()?.toString()) return;
        void navigate(to);
      }}
    >
      <Table.Th scope="row" fw={600}>
        <Anchor component={Link} to={to} fw={600} size="sm" lang={name === e.nameEn ? 'en' : 'ur'}>
          {name}
        </Anchor>
      </Table.Th>
      <Table.Td>
        <span className="qila-code">{e.registrationNo}</span>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={NOWRAP}>
          {names.sector(e.sector)}
        </Text>
        <Text size="xs" c="dimmed">
          {names.subsector(e.subsector)}
        </Text>
      </Table.Td>
      <Table.Td style={NOWRAP}>{names.adminUnit(e.adminUnit)}</Table.Td>
      <Table.Td>
        <abbr title={names.regulator(e.regulator)} style={{ textDecoration: 'underline dotted' }}>
          {e.regulator}
        </abbr>
        <VisuallyHidden>{names.regulator(e.regulator)}</VisuallyHidden>
      </Table.Td>
      <Table.Td style={NOWRAP}>
        <TierBadge tier={e.ciiTier} />
      </Table.Td>
      <Table.Td>
        <DesignationBadge designation={e.designation} />
      </Table.Td>
    </Table.Tr>
  );
}

/** On a phone, one card per entity instead of a table that scrolls sideways. */
function EntityCards({ items, language }: { items: EntitySummary[]; language: string }) {
  const { t } = useTranslation();
  const names = useNames();
  return (
    <Stack
      gap={0}
      component="ul"
      aria-label={t('registry.title')}
      style={{ listStyle: 'none', margin: 0, padding: 0 }}
    >
      {items.map((e) => {
        const name = localName(e, language);
        return (
          <Box
            component="li"
            key={e.id}
            px="md"
            py="sm"
            style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
          >
            <Stack gap={4}>
              <Anchor
                component={Link}
                to={`/registry/${e.id}`}
                fw={700}
                lang={name === e.nameEn ? 'en' : 'ur'}
              >
                {name}
              </Anchor>
              <Text size="xs" c="dimmed">
                <span className="qila-code">{e.registrationNo}</span>
              </Text>
              <Text size="sm">
                {names.sector(e.sector)} · {names.adminUnit(e.adminUnit)}
              </Text>
              <Group gap={6}>
                <TierBadge tier={e.ciiTier} />
                <DesignationBadge designation={e.designation} />
                <Text size="xs" c="dimmed">
                  {t('registry.regulatorShort', { regulator: e.regulator })}
                </Text>
              </Group>
            </Stack>
          </Box>
        );
      })}
    </Stack>
  );
}
