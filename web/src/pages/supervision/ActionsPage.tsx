import { Anchor, Group, Stack, Switch, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconChecklist } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useUrlFilters } from '../../app/urlFilters';
import { api, unwrap } from '../../api/client';
import { useAuth, useMe } from '../../app/auth';
import type { ActionListItem } from '../../app/supervision';
import { ListState } from '../../components/ListState';
import { FilterBar } from './FilterBar';
import { SeverityBadge } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { ActionItem } from './ActionItem';

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * Corrective actions in scope, nearest due date first; "overdue only" and the entity live in the
 * address. A notification's link (/supervision/actions/<id>) brings its action to the top.
 */
export function ActionsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const me = useMe();
  const fmt = useFormat();
  const { id: focus } = useParams();
  const { params, patch, reset } = useUrlFilters();
  const overdue = params.get('overdue') === 'true';
  const entityId = UUID.test(params.get('entity') ?? '') ? params.get('entity')! : null;
  const entityPerson = me.roles.every((r) => r.scopeKind === 'entity');
  const set = (key: string, value: string | null) => patch({ [key]: value });
  const query = useQuery({
    queryKey: ['supervision', 'actions', overdue, entityId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/supervision/actions', {
          params: { query: { overdue: overdue ? 'true' : undefined, entityId: entityId ?? undefined } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const items = [...(query.data ?? [])].sort((a, b) => Number(b.id === focus) - Number(a.id === focus));
  useEffect(() => {
    if (focus && query.data) document.getElementById(`action-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, query.data]);
  const mayVerify = can('supervision.manage') || can('supervision.audit');

  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.actions.pageTitle')}
        description={
          can('supervision.respond')
            ? t('supervision.actions.descriptionEntity')
            : t('supervision.actions.description')
        }
      />
      <FilterBar
        entityId={entityId}
        onEntity={(id) => set('entity', id)}
        showEntity={!entityPerson && can('entities.read')}
        filtered={!(!overdue && !entityId)}
        onClear={() => reset()}
      >
        <Switch
          label={t('supervision.actions.onlyOverdue')}
          checked={overdue}
          onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : null)}
        />
      </FilterBar>
      <ListState
        query={query}
        loadFailed={t('supervision.actions.loadFailed')}
        empty={{
          icon: <IconChecklist size={26} />,
          title: overdue ? t('supervision.actions.noneOverdueTitle') : t('supervision.actions.emptyTitle'),
          description:
            overdue || entityId ? t('supervision.actions.noMatch') : t('supervision.actions.empty'),
        }}
      >
        {/* The focused action (from a notification) comes first. */}
        {() => (
          <Stack gap="sm" aria-busy={query.isFetching} data-testid="action-list">
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('supervision.actions.count', { count: items.length, formatted: fmt.number(items.length) })}
            </Text>
            {items.map((a) => (
              <div
                key={a.id}
                id={`action-${a.id}`}
                style={
                  a.id === focus
                    ? {
                        outline: '3px solid var(--mantine-color-orange-5)',
                        borderRadius: 'var(--mantine-radius-md)',
                      }
                    : undefined
                }
              >
                <ActionItem
                  action={a}
                  mayUpdate={can('supervision.respond')}
                  mayVerify={mayVerify}
                  context={<ActionContext action={a} showEntity={!entityPerson} />}
                />
              </div>
            ))}
          </Stack>
        )}
      </ListState>
    </Stack>
  );
}

function ActionContext({ action: a, showEntity }: { action: ActionListItem; showEntity: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="wrap">
      <Anchor
        component={Link}
        to={`/supervision/audits/${a.auditId}`}
        size="xs"
        fw={700}
        className="qila-code"
      >
        {a.auditReference}
      </Anchor>
      {showEntity && (
        <Text size="xs" fw={600} lang="en" dir="auto">
          {a.entityName}
        </Text>
      )}
      <SeverityBadge severity={a.severity} size="xs" />
      <Text size="xs" c="dimmed" dir="auto">
        {t('supervision.actions.forFinding', { title: a.findingTitle })}
      </Text>
    </Group>
  );
}
