import { Anchor, Paper, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconClipboardSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUrlFilters } from '../../app/urlFilters';
import { api, unwrap } from '../../api/client';
import { useAuth, useMe } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { AUDIT_STATUSES, isAuditStatus } from '../../app/supervision';
import { ListState } from '../../components/ListState';
import { FilterBar } from './FilterBar';
import { Countdown } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { AuditStatusBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';

const UUID = /^[0-9a-f-]{36}$/i;

/** Audits in scope (an auditor's own, an entity's own, a regulator's sector); filters live in the address. */
export function AuditsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const me = useMe();
  const fmt = useFormat();
  const names = useNames();
  const { params, patch, reset } = useUrlFilters();
  const status = isAuditStatus(params.get('status')) ? params.get('status')! : null;
  const entityId = UUID.test(params.get('entity') ?? '') ? params.get('entity')! : null;
  const entityPerson = me.roles.every((r) => r.scopeKind === 'entity');
  const set = (key: string, value: string | null) => patch({ [key]: value });
  const query = useQuery({
    queryKey: ['supervision', 'audits', status, entityId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/supervision/audits', {
          params: { query: { status: status ?? undefined, entityId: entityId ?? undefined } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const description = can('supervision.audit')
    ? t('supervision.audits.descriptionAuditor')
    : entityPerson
      ? t('supervision.audits.descriptionEntity')
      : t('supervision.audits.description');

  return (
    <Stack gap="md">
      <PageHeader title={t('supervision.audits.title')} description={description} />
      <FilterBar
        entityId={entityId}
        onEntity={(id) => set('entity', id)}
        showEntity={!entityPerson && can('entities.read')}
        filtered={!(!status && !entityId)}
        onClear={() => reset()}
      >
        <Select
          w={260}
          label={t('supervision.status')}
          placeholder={t('incidents.anyStatus')}
          data={AUDIT_STATUSES.map((s) => ({ value: s, label: t(`supervision.auditStatuses.${s}`) }))}
          value={status}
          onChange={(v) => set('status', v)}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      </FilterBar>
      <ListState
        query={query}
        loadFailed={t('supervision.audits.loadFailed')}
        empty={{
          icon: <IconClipboardSearch size={26} />,
          title: t('supervision.audits.emptyTitle'),
          description: status || entityId ? t('supervision.audits.noMatch') : t('supervision.audits.empty'),
        }}
      >
        {(audits) => (
          <Paper p={0} style={{ overflow: 'hidden' }} aria-busy={query.isFetching}>
            <Text size="sm" c="dimmed" px="md" pt="sm" aria-live="polite">
              {t('supervision.audits.count', {
                count: audits.length,
                formatted: fmt.number(audits.length),
              })}
            </Text>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="audit-list">
                <VisuallyHidden component="caption">{t('supervision.audits.title')}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('supervision.audits.reference')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.entity')}</Table.Th>
                    <Table.Th scope="col">{t('registry.sector')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.status')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.audits.leadAuditor')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.audits.responseDue')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('supervision.audits.openFindings')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {audits.map((a) => (
                    <Table.Tr
                      key={a.id}
                      data-testid="audit-row"
                      data-reference={a.reference}
                      data-entity={a.entityId}
                      data-status={a.status}
                    >
                      <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                        <Anchor
                          component={Link}
                          to={`/supervision/audits/${a.id}`}
                          fw={700}
                          size="sm"
                          className="qila-code"
                        >
                          {a.reference}
                        </Anchor>
                      </Table.Th>
                      <Table.Td style={{ minWidth: 200 }}>
                        <span lang="en" dir="auto">
                          {a.entityName}
                        </span>
                      </Table.Td>
                      <Table.Td>{names.sector(a.sector)}</Table.Td>
                      <Table.Td>
                        <AuditStatusBadge status={a.status} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {a.auditor ?? (
                          <Text span size="sm" c="dimmed">
                            {t('supervision.audits.unassigned')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {a.status === 'preliminary_issued' && a.responseDueAt ? (
                          <Countdown dueAt={a.responseDueAt} />
                        ) : (
                          <Text span size="sm" c="dimmed">
                            –
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="end">{fmt.number(a.openFindings)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
      </ListState>
    </Stack>
  );
}
