import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { incidentKey, isObservableType, type Incident } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IndicatorRows, type IndicatorRow } from '../../components/IndicatorRows';
import { ScrollRegion } from '../../components/ScrollRegion';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

/** Indicators on this incident; for handlers, how often each was seen elsewhere and the related incidents. */
export function ObservablesCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const handler = incident.allowedActions.includes('handle');
  const [adding, setAdding] = useState(false);
  const items = incident.observables;
  return (
    <Section
      id="observables"
      title={t('observables.title')}
      description={t('observables.description')}
      actions={
        handler &&
        !adding && (
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setAdding(true)}
          >
            {t('observables.add')}
          </Button>
        )
      }
    >
      {adding && <AddObservables incident={incident} onDone={() => setAdding(false)} />}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('observables.none')}
        </Text>
      ) : (
        <ScrollRegion minWidth={480} label={t('observables.title')}>
          <Table striped fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('indicators.type')}</Table.Th>
                <Table.Th scope="col">{t('indicators.value')}</Table.Th>
                {handler && <Table.Th scope="col">{t('observables.seenElsewhere')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>{isObservableType(o.type) ? t(`indicators.types.${o.type}`) : o.type}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <span className="qila-code" style={{ whiteSpace: 'normal' }}>
                      {o.value}
                    </span>
                  </Table.Td>
                  {handler && (
                    <Table.Td>
                      {o.otherIncidents ? (
                        <Badge color="orange.8" variant="light" className="qila-badge-fit">
                          {t('observables.otherIncidents', {
                            count: o.otherIncidents,
                            formatted: fmt.number(o.otherIncidents),
                          })}
                        </Badge>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('observables.onlyHere')}
                        </Text>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
      {handler && incident.related.length > 0 && (
        <Stack gap={6}>
          <Title order={3} size="h5">
            {t('observables.related')}
          </Title>
          <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {incident.related.map((r) => (
              <Stack key={r.id} gap={0} component="li">
                <Group gap="xs" wrap="nowrap">
                  <Anchor component={Link} to={`/incidents/${r.id}`} className="qila-code" size="sm" fw={600}>
                    {r.reference}
                  </Anchor>
                  <Text size="sm" dir="auto" lineClamp={1}>
                    {r.title}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {names.sector(r.sector)} ·{' '}
                  {t('observables.shared', { count: r.shared, formatted: fmt.number(r.shared) })}
                </Text>
              </Stack>
            ))}
          </Stack>
        </Stack>
      )}
    </Section>
  );
}

function AddObservables({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<IndicatorRow[]>([{ type: 'ipv4', value: '' }]);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const add = useMutation({
    mutationFn: (items: IndicatorRow[]) =>
      unwrap(
        api.POST('/api/incidents/{id}/observables', {
          params: { path: { id: incident.id } },
          body: { items },
        }),
      ),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) });
      notifications.show({
        color: 'qila',
        message: t('observables.added', { count: r.added, formatted: fmt.number(r.added) }),
      });
      onDone();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const next: Record<number, string> = {};
      for (const e of error.errors) {
        const m = /^items\.(\d+)/.exec(fieldOf(e.path));
        if (m) next[Number(m[1])] = e.message;
      }
      setErrors(next);
    },
  });
  const save = () => {
    const empty = Object.fromEntries(
      rows.flatMap((r, i) => (r.value.trim() ? [] : [[i, t('indicators.valueRequired')]])),
    );
    setErrors(empty);
    if (rows.length && !Object.keys(empty).length)
      add.mutate(rows.map((r) => ({ type: r.type, value: r.value.trim() })));
  };
  return (
    <Stack gap="xs" p="sm" style={{ background: 'var(--mantine-color-gray-0)', borderRadius: 8 }}>
      {add.isError && <ErrorAlert error={add.error} />}
      <IndicatorRows rows={rows} onChange={setRows} errorOf={(i) => errors[i]} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" size="xs" onClick={onDone}>
          {t('actions.cancel')}
        </Button>
        <Button size="xs" onClick={save} loading={add.isPending} disabled={!rows.length}>
          {t('observables.save')}
        </Button>
      </Group>
    </Stack>
  );
}
