import {
  ActionIcon,
  Autocomplete,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import {
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  IconFilter,
  IconFilterOff,
  IconListSearch,
} from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap, type ApiResponse } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { LoadMoreFooter } from '../../components/LoadMoreFooter';

type AuditRecord = ApiResponse<'/api/audit'>['items'][number];
const PAGE_SIZE = 50;
const FILTERS = ['actor', 'action', 'objectType', 'objectId', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Actions, and families of actions (ending in a dot), offered as the action filter is typed. */
const ACTION_SUGGESTIONS = [
  'auth.',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.mfa_failed',
  'auth.sign_in_throttled',
  'auth.locked',
  'auth.sign_out',
  'auth.sign_out_everywhere',
  'auth.session_revoked',
  'auth.password_changed',
  'auth.password_reset_requested',
  'auth.password_reset',
  'mfa.',
  'mfa.enrollment_started',
  'mfa.enabled',
  'mfa.disabled',
  'user.',
  'user.create',
  'user.roles_changed',
  'user.disabled',
  'user.enabled',
  'user.sessions_revoked',
  'invitation.',
  'invitation.create',
  'invitation.accept',
  'invitation.revoke',
  'token.',
  'token.create',
  'token.revoke',
  'holiday.',
  'file.downloaded',
  'export.',
  'export.stix',
  'export.oscal',
  'export.scorecard_pdf',
  'export.decision_letter',
  'export.campaign_results',
  'export.registry',
  'export.audit_trail',
  'incident.read_red',
];
const OBJECT_TYPES = [
  'user',
  'session',
  'invitation',
  'api_token',
  'entity',
  'holiday',
  'audit_log',
  'incident',
  'advisory',
  'assessment',
  'campaign',
  'corrective_action',
  'case',
];

/** Actions that carry a plain-words name beside their code (the sensitive reads, and older names of exports). */
const NAMED_ACTIONS = [
  'file.downloaded',
  'export.stix',
  'export.oscal',
  'export.scorecard_pdf',
  'export.decision_letter',
  'export.campaign_results',
  'export.registry',
  'export.audit_trail',
  'incident.read_red',
  'registry.export',
  'campaign.results_exported',
  'audit.export',
] as const;
const isNamed = (a: string): a is (typeof NAMED_ACTIONS)[number] =>
  (NAMED_ACTIONS as readonly string[]).includes(a);

/** The offset of `timeZone` from UTC at an instant, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at;
}

/** Midnight at the start of a calendar day where the jurisdiction is, as an instant; `days` later when given. */
export function startOfDay(date: string, timeZone: string | undefined, days = 0): string | undefined {
  if (!ISO_DATE.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d + days);
  if (!timeZone) return new Date(y, m - 1, d + days).toISOString();
  try {
    return new Date(utc - zoneOffset(utc, timeZone)).toISOString();
  } catch {
    return new Date(utc).toISOString();
  }
}

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;
}

export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const tz = jurisdiction?.timeZone;
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const active = FILTERS.some((f) => filters[f]);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());

  // What the API takes: calendar days become instants at midnight in the jurisdiction.
  const query = {
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    objectType: filters.objectType || undefined,
    objectId: filters.objectId || undefined,
    from: startOfDay(filters.from, tz),
    to: startOfDay(filters.to, tz, 1),
  };
  const exportHref = (format: 'csv' | 'json') => {
    const qs = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(query)) if (v) qs.set(k, v);
    return `/api/audit/export?${qs.toString()}`;
  };

  const records = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/audit', {
          params: { query: { ...query, before: pageParam, limit: PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    placeholderData: keepPreviousData,
    // The dates need the time zone, which arrives with the jurisdiction.
    enabled: jurisdiction !== undefined || !(filters.from || filters.to),
  });
  const items = records.data?.pages.flatMap((p) => p.items) ?? [];
  const updating = records.isFetching && !records.isFetchingNextPage;

  const apply = (next: Filters) => {
    const qs = new URLSearchParams();
    for (const f of FILTERS) if (next[f].trim()) qs.set(f, next[f].trim());
    setParams(qs);
    setExpanded(new Set());
  };
  const toggle = (seq: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  return (
    <Stack gap="md">
      <PageHeader
        title={t('admin.audit.title')}
        description={t('admin.audit.description')}
        actions={
          <Group gap="xs">
            <Button
              component="a"
              href={exportHref('csv')}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('admin.audit.exportCsv')}
            </Button>
            <Button
              component="a"
              href={exportHref('json')}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('admin.audit.exportJson')}
            </Button>
          </Group>
        }
      />
      <AuditFilters key={params.toString()} initial={filters} onApply={apply} active={active} />

      {records.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap={6}>
            {Array.from({ length: 10 }, (_, i) => (
              <Skeleton key={i} h={22} />
            ))}
          </Stack>
        </Paper>
      ) : records.isError && items.length === 0 ? (
        <ErrorAlert
          error={records.error}
          title={t('admin.audit.loadFailed')}
          onRetry={() => void records.refetch()}
          retrying={records.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconListSearch size={26} />}
          title={active ? t('admin.audit.noMatchTitle') : t('admin.audit.emptyTitle')}
          description={active ? t('admin.audit.noMatchBody') : undefined}
          action={
            active ? (
              <Button variant="light" onClick={() => apply(readFilters(new URLSearchParams()))}>
                {t('registry.clearFilters')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Text size="sm" c="dimmed" px="md" py="sm" aria-live="polite">
            {records.hasNextPage
              ? t('admin.audit.showingMore', { count: items.length, formatted: fmt.number(items.length) })
              : t('admin.audit.showingAll', { count: items.length, formatted: fmt.number(items.length) })}
          </Text>
          <Table.ScrollContainer minWidth={1040}>
            <Table
              fz="xs"
              verticalSpacing={4}
              horizontalSpacing="sm"
              highlightOnHover
              style={{ opacity: updating ? 0.6 : 1, transition: 'opacity 120ms' }}
              aria-busy={updating}
            >
              <VisuallyHidden component="caption">{t('admin.audit.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={36}>
                    <VisuallyHidden>{t('admin.audit.details')}</VisuallyHidden>
                  </Table.Th>
                  <Table.Th scope="col">{t('admin.audit.when')}</Table.Th>
                  <Table.Th scope="col">{t('admin.audit.actor')}</Table.Th>
                  <Table.Th scope="col">{t('admin.audit.action')}</Table.Th>
                  <Table.Th scope="col">{t('admin.audit.object')}</Table.Th>
                  <Table.Th scope="col">{t('admin.audit.ip')}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('admin.audit.seq')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <AuditRow
                    key={r.seq}
                    record={r}
                    open={expanded.has(r.seq)}
                    onToggle={() => toggle(r.seq)}
                    timeZone={tz}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMoreFooter query={records} />
        </Paper>
      )}
    </Stack>
  );
}

function AuditFilters({
  initial,
  onApply,
  active,
}: {
  initial: Filters;
  onApply: (f: Filters) => void;
  active: boolean;
}) {
  const { t } = useTranslation();
  const form = useForm<Filters>({ mode: 'controlled', initialValues: initial });
  const empty = readFilters(new URLSearchParams());
  return (
    <Paper p="md" component="section" aria-label={t('registry.filters')}>
      <form noValidate onSubmit={form.onSubmit(onApply)}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
          <TextInput
            label={t('admin.audit.actor')}
            description={t('admin.audit.actorHint')}
            dir="ltr"
            maxLength={254}
            {...form.getInputProps('actor')}
          />
          <Autocomplete
            label={t('admin.audit.action')}
            description={t('admin.audit.actionHint')}
            data={ACTION_SUGGESTIONS}
            dir="ltr"
            maxLength={100}
            limit={12}
            {...form.getInputProps('action')}
          />
          <Autocomplete
            label={t('admin.audit.objectType')}
            description={t('admin.audit.objectTypeHint')}
            data={OBJECT_TYPES}
            dir="ltr"
            maxLength={60}
            {...form.getInputProps('objectType')}
          />
          <TextInput
            label={t('admin.audit.objectId')}
            description={t('admin.audit.objectIdHint')}
            dir="ltr"
            maxLength={100}
            {...form.getInputProps('objectId')}
          />
          <TextInput
            type="date"
            label={t('admin.audit.from')}
            description={t('admin.audit.fromHint')}
            {...form.getInputProps('from')}
          />
          <TextInput
            type="date"
            label={t('admin.audit.to')}
            description={t('admin.audit.toHint')}
            {...form.getInputProps('to')}
          />
        </SimpleGrid>
        <Group gap="sm" mt="md">
          <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
            {t('admin.audit.apply')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconFilterOff size={16} aria-hidden />}
            onClick={() => {
              form.setValues(empty);
              onApply(empty);
            }}
            disabled={!active}
          >
            {t('registry.clearFilters')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

function Json({ value, label }: { value: unknown; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} miw={0}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {label}
      </Text>
      {value === null || value === undefined ? (
        <Text size="xs" c="dimmed">
          {t('admin.audit.nothing')}
        </Text>
      ) : (
        <Code
          block
          dir="ltr"
          bg="gray.0"
          style={{
            maxHeight: 320,
            overflow: 'auto',
            fontSize: 12,
            border: '1px solid var(--mantine-color-gray-3)',
          }}
        >
          {JSON.stringify(value, null, 2)}
        </Code>
      )}
    </Stack>
  );
}

function AuditRow({
  record: r,
  open,
  onToggle,
  timeZone,
}: {
  record: AuditRecord;
  open: boolean;
  onToggle: () => void;
  timeZone: string | undefined;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const detailsId = `audit-${r.seq}`;
  return (
    <Fragment>
      <Table.Tr bg={open ? 'var(--mantine-color-qila-0)' : undefined}>
        <Table.Td>
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={t('admin.audit.toggle', { action: r.action, seq: r.seq })}
          >
            {open ? (
              <IconChevronDown size={16} aria-hidden />
            ) : (
              <IconChevronRight size={16} aria-hidden className="qila-flip-rtl" />
            )}
          </ActionIcon>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(r.at, timeZone)}</Table.Td>
        <Table.Td>
          <span className="qila-code" style={{ fontFamily: 'inherit' }}>
            {r.actorLabel}
          </span>
          {r.onBehalfOf && (
            <Text size="xs" c="dimmed">
              {t('admin.audit.onBehalfOf', { id: r.onBehalfOf })}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Badge
            variant="light"
            color="gray.8"
            tt="none"
            radius="sm"
            className="qila-code qila-badge-fit"
            size="sm"
          >
            {r.action}
          </Badge>
          {isNamed(r.action) && (
            <Text size="xs" c="dimmed">
              {t(`admin.audit.actions.${r.action}`)}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <span className="qila-code">
            {r.objectType}
            {r.objectId ? ` · ${r.objectId}` : ''}
          </span>
        </Table.Td>
        <Table.Td>
          <span className="qila-code">{r.ip ?? '—'}</span>
        </Table.Td>
        <Table.Td ta="end">
          <span className="qila-code">{r.seq}</span>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId}>
          <Table.Td
            colSpan={7}
            bg="white"
            p="md"
            style={{ borderInlineStart: '3px solid var(--mantine-color-qila-4)' }}
          >
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                <Json value={r.before} label={t('admin.audit.before')} />
                <Json value={r.after} label={t('admin.audit.after')} />
              </SimpleGrid>
              <Group gap="lg" wrap="wrap">
                <Text size="xs">
                  <Text span fw={700} size="xs">
                    {t('admin.audit.actorId')}:{' '}
                  </Text>
                  <span className="qila-code">{r.actorId ?? '—'}</span>
                </Text>
                <Text size="xs">
                  <Text span fw={700} size="xs">
                    {t('admin.audit.requestId')}:{' '}
                  </Text>
                  <span className="qila-code">{r.requestId ?? '—'}</span>
                </Text>
                <Text size="xs" style={{ wordBreak: 'break-all' }}>
                  <Text span fw={700} size="xs">
                    {t('admin.audit.hash')}:{' '}
                  </Text>
                  <span className="qila-code" style={{ whiteSpace: 'normal' }}>
                    {r.hash}
                  </span>
                </Text>
              </Group>
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}
