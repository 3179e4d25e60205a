import { Anchor, Button, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconGavel, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../app/auth';
import { ListState } from '../../components/ListState';
import { Countdown } from '../../components/IncidentBadges';
import { PageHeader } from '../../components/PageHeader';
import { CaseStageBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';
import { useSupervisionNames } from './names';

/** Enforcement cases in scope, newest first. */
export function CasesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const fmt = useFormat();
  const names = useSupervisionNames();
  const query = useQuery({
    queryKey: ['supervision', 'cases'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/supervision/cases', { signal })),
  });
  const openButton = can('enforcement.manage') && (
    <Button component={Link} to="/supervision/cases/new" leftSection={<IconPlus size={16} aria-hidden />}>
      {t('supervision.cases.open')}
    </Button>
  );
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.cases.title')}
        description={t('supervision.cases.description')}
        actions={openButton}
      />
      <ListState
        query={query}
        loadFailed={t('supervision.cases.loadFailed')}
        empty={{
          icon: <IconGavel size={26} />,
          title: t('supervision.cases.emptyTitle'),
          description: t('supervision.cases.empty'),
        }}
      >
        {(cases) => (
          <Paper p={0} style={{ overflow: 'hidden' }}>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover fz="sm" verticalSpacing={8} data-testid="case-list">
                <VisuallyHidden component="caption">{t('supervision.cases.title')}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('supervision.cases.reference')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.entity')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.cases.violation')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.cases.stage')}</Table.Th>
                    <Table.Th scope="col">{t('supervision.cases.deadline')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('supervision.cases.penalty')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cases.map((c) => (
                    <Table.Tr key={c.id} data-testid="case-row">
                      <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                        <Anchor
                          component={Link}
                          to={`/supervision/cases/${c.id}`}
                          fw={700}
                          size="sm"
                          className="qila-code"
                        >
                          {c.reference}
                        </Anchor>
                      </Table.Th>
                      <Table.Td style={{ minWidth: 200 }}>
                        <span lang="en" dir="auto">
                          {c.entityName}
                        </span>
                      </Table.Td>
                      <Table.Td style={{ minWidth: 220 }}>{names.violation(c.violation)}</Table.Td>
                      <Table.Td>
                        <CaseStageBadge stage={c.stage} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {c.nextDeadline ? (
                          <Stack gap={0}>
                            <Countdown dueAt={c.nextDeadline} />
                            <Text size="xs" c="dimmed">
                              {fmt.dateTime(c.nextDeadline)}
                            </Text>
                          </Stack>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            –
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td
                        ta="end"
                        style={{ whiteSpace: 'nowrap' }}
                        fw={c.penaltyAmount ? 700 : undefined}
                      >
                        {c.penaltyAmount !== null ? fmt.money(c.penaltyAmount) : '–'}
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
