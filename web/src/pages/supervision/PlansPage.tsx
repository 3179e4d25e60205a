import { Anchor, Badge, Button, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconListCheck, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { NewPlanModal } from './NewPlanModal';

/** The Authority's audit plans, newest first, and a way to propose the next one. */
export function PlansPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [creating, { open, close }] = useDisclosure(false);
  const query = useQuery({
    queryKey: ['supervision', 'plans'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/supervision/plans', { signal })),
  });
  const newButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
      {t('supervision.plans.new')}
    </Button>
  );
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.plans.title')}
        description={t('supervision.plans.description')}
        actions={newButton}
      />
      <NewPlanModal opened={creating} onClose={close} />
      <ListState
        query={query}
        loadFailed={t('supervision.plans.loadFailed')}
        empty={{
          icon: <IconListCheck size={26} />,
          title: t('supervision.plans.emptyTitle'),
          description: t('supervision.plans.empty'),
        }}
      >
        {(plans) => (
          <Paper p={0} style={{ overflow: 'hidden' }}>
            <Table.ScrollContainer minWidth={700}>
              <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="plans">
                <VisuallyHidden component="caption">{t('supervision.plans.title')}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('supervision.plans.name')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.plans.period')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('supervision.plans.capacity')}
                    </Table.Th>
                    <Table.Th scope="col">{t('supervision.status')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.plans.created')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plans.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Th scope="row">
                        <Anchor component={Link} to={`/supervision/plans/${p.id}`} fw={600} size="sm">
                          <span dir="auto">{p.name}</span>
                        </Anchor>
                      </Table.Th>
                      <Table.Td>
                        {t('supervision.plans.periodRange', {
                          from: fmt.date(p.periodStart),
                          to: fmt.date(p.periodEnd),
                        })}
                      </Table.Td>
                      <Table.Td ta="end">{fmt.number(p.capacity)}</Table.Td>
                      <Table.Td>
                        <PlanStatusBadge status={p.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{fmt.dateTime(p.createdAt)}</Text>
                      </Table.Td>
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

export function PlanStatusBadge({ status, size = 'sm' }: { status: string; size?: 'sm' | 'lg' }) {
  const { t } = useTranslation();
  const approved = status === 'approved';
  return (
    <Badge
      color={approved ? 'qila.7' : 'blue.7'}
      variant={approved ? 'filled' : 'light'}
      size={size}
      className="qila-badge-fit"
      data-testid="plan-status"
      data-status={status}
    >
      {approved
        ? t('supervision.plans.approved')
        : status === 'draft'
          ? t('supervision.plans.draft')
          : status}
    </Badge>
  );
}
