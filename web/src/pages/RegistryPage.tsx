import {
  Badge,
  Box,
  Button,
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
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { IconFilterOff, IconMoodEmpty, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap, type ApiResponse } from '../api/client';
import { useNames } from '../app/jurisdiction';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormat } from '../i18n/format';

type Entity = ApiResponse<'/api/entities'>['items'][number];

const PAGE_SIZE = 50;
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const DESIGNATIONS = ['essential', 'important', 'other'] as const;
type Designation = (typeof DESIGNATIONS)[number];
const isDesignation = (d: string): d is Designation => (DESIGNATIONS as readonly string[]).includes(d);

// Severity colours with black or white text chosen for contrast; the badge always says the tier.
const TIER_BADGE_COLOR: Record<number, string> = { 1: 'red.9', 2: 'orange.4', 3: 'yellow.3' };

export function RegistryPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sector = params.get('sector') ?? '';
  const adminUnit = params.get('adminUnit') ?? '';
  const filtered = Boolean(q || sector || adminUnit);

  // The search box is typed into freely; the URL (and so the query) follows after a pause.
  // When the URL changes by other means (back button, "clear filters"), the box follows it.
  const [search, setSearch] = useState(q);
  const [urlQ, setUrlQ] = useState(q);
  if (q !== urlQ) {
    setUrlQ(q);
    setSearch(q);
  }

  const setParam = (name: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const pushSearch = useDebouncedCallback((value: string) => setParam('q', value.trim()), 350);

  const entities = useInfiniteQuery({
    queryKey: ['entities', { q, sector, adminUnit }],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/entities', {
          params: {
            query: {
              q: q || undefined,
              sector: sector || undefined,
              adminUnit: adminUnit || undefined,
              cursor: pageParam,
              limit: PAGE_SIZE,
            },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

  const items = entities.data?.pages.flatMap((p) => p.items) ?? [];
  const updating = entities.isFetching && !entities.isFetchingNextPage;

  const clearFilters = () => {
    pushSearch.cancel();
    setSearch('');
    setParams({}, { replace: true });
  };

  return (
    <Stack gap="md">
      <PageHeader title={t('registry.title')} description={t('registry.description')} />

      <Paper p="md" component="section" aria-label={t('registry.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <TextInput
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
            rightSection={updating ? <Loader size={14} aria-hidden /> : null}
            maxLength={100}
          />
          <Select
            label={t('registry.sector')}
            description={t('registry.sectorHint')}
            placeholder={t('registry.allSectors')}
            data={names.sectorOptions}
            value={sector || null}
            onChange={(v) => setParam('sector', v ?? '')}
            clearable
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            clearButtonProps={{ 'aria-label': t('registry.clearSector') }}
          />
          <Select
            label={t('registry.adminUnit')}
            description={t('registry.adminUnitHint')}
            placeholder={t('registry.allAdminUnits')}
            data={names.adminUnitOptions}
            value={adminUnit || null}
            onChange={(v) => setParam('adminUnit', v ?? '')}
            clearable
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            clearButtonProps={{ 'aria-label': t('registry.clearAdminUnit') }}
          />
          <Group align="flex-end">
            <Button
              variant="default"
              leftSection={<IconFilterOff size={16} aria-hidden />}
              onClick={clearFilters}
              disabled={!filtered && !search}
            >
              {t('registry.clearFilters')}
            </Button>
          </Group>
        </SimpleGrid>
      </Paper>

      {entities.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton key={i} h={28} />
            ))}
          </Stack>
        </Paper>
      ) : entities.isError && items.length === 0 ? (
        <ErrorAlert
          error={entities.error}
          title={t('registry.loadFailed')}
          onRetry={() => void entities.refetch()}
          retrying={entities.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconMoodEmpty size={26} />}
          title={filtered ? t('registry.noMatchTitle') : t('registry.emptyTitle')}
          description={filtered ? t('registry.noMatchBody') : t('registry.emptyBody')}
          action={
            filtered ? (
              <Button variant="light" onClick={clearFilters}>
                {t('registry.clearFilters')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Group justify="space-between" px="md" py="sm">
            <Text size="sm" c="dimmed" aria-live="polite">
              {entities.hasNextPage
                ? t('registry.showingMore', { count: items.length, formatted: fmt.number(items.length) })
                : t('registry.showingAll', { count: items.length, formatted: fmt.number(items.length) })}
            </Text>
          </Group>
          <Table.ScrollContainer minWidth={1040}>
            <Table
              striped
              highlightOnHover
              stickyHeader
              fz="sm"
              verticalSpacing={6}
              style={{ opacity: updating ? 0.6 : 1, transition: 'opacity 120ms' }}
              aria-busy={updating}
            >
              <VisuallyHidden component="caption">{t('registry.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('registry.name')}</Table.Th>
                  <Table.Th scope="col" style={NOWRAP}>
                    {t('registry.registrationNo')}
                  </Table.Th>
                  <Table.Th scope="col" style={NOWRAP}>
                    {t('registry.sector')}
                  </Table.Th>
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
                  <EntityRow key={e.id} entity={e} language={i18n.language} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Box px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            {entities.isError && (
              <ErrorAlert error={entities.error} onRetry={() => void entities.fetchNextPage()} />
            )}
            {entities.hasNextPage ? (
              <Group justify="center">
                <Button
                  variant="default"
                  onClick={() => void entities.fetchNextPage()}
                  loading={entities.isFetchingNextPage}
                >
                  {t('registry.loadMore')}
                </Button>
              </Group>
            ) : (
              <Text size="sm" c="dimmed" ta="center">
                {t('registry.endOfList')}
              </Text>
            )}
          </Box>
        </Paper>
      )}
    </Stack>
  );
}

function EntityRow({ entity: e, language }: { entity: Entity; language: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const localName = language === 'ur' && e.nameUr ? e.nameUr : e.nameEn;
  const tierColor = e.ciiTier !== null ? TIER_BADGE_COLOR[e.ciiTier] : undefined;
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={600}>
        <span lang={localName === e.nameEn ? 'en' : 'ur'}>{localName}</span>
      </Table.Th>
      <Table.Td>
        <span className="qila-code">{e.registrationNo}</span>
      </Table.Td>
      <Table.Td style={NOWRAP}>{names.sector(e.sector)}</Table.Td>
      <Table.Td style={NOWRAP}>{names.adminUnit(e.adminUnit)}</Table.Td>
      <Table.Td>
        <abbr title={names.regulator(e.regulator)} style={{ textDecoration: 'underline dotted' }}>
          {e.regulator}
        </abbr>
        <VisuallyHidden>{names.regulator(e.regulator)}</VisuallyHidden>
      </Table.Td>
      <Table.Td style={NOWRAP}>
        {e.ciiTier !== null && tierColor ? (
          <Badge color={tierColor} autoContrast size="sm" styles={{ label: { overflow: 'visible' } }}>
            {t('registry.tierBadge', { tier: e.ciiTier })}
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            {t('registry.notCii')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{isDesignation(e.designation) ? t(`designations.${e.designation}`) : e.designation}</Table.Td>
    </Table.Tr>
  );
}
