import {
  Badge,
  Button,
  Grid,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingBank, IconPlus, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { useAuditors, type Auditor, type AuditorsList } from '../../app/supervision';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { AuditorFormModal, ConflictFormModal, FirmFormModal } from './AuditorForms';

/** Licensed audit firms and auditors, with licence validity and declared conflicts of interest. */
export function AuditorsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useAuditors();
  const [firmOpen, firm] = useDisclosure(false);
  const [auditorOpen, auditor] = useDisclosure(false);
  const manage = can('auditors.manage');
  return (
    <Stack gap="md">
      <PageHeader
        title={t('supervision.auditors.title')}
        description={t('supervision.auditors.description')}
        actions={
          manage && (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={firm.open}>
                {t('supervision.auditors.addFirm')}
              </Button>
              <Button
                leftSection={<IconUserPlus size={16} aria-hidden />}
                onClick={auditor.open}
                disabled={!list.data?.firms.length}
              >
                {t('supervision.auditors.register')}
              </Button>
            </Group>
          )
        }
      />
      {manage && <FirmFormModal opened={firmOpen} onClose={firm.close} />}
      {manage && list.data && (
        <AuditorFormModal opened={auditorOpen} onClose={auditor.close} list={list.data} />
      )}
      {list.isPending ? (
        <Skeleton h={260} radius="md" aria-label={t('common.loading')} />
      ) : list.isError ? (
        <ErrorAlert
          error={list.error}
          title={t('supervision.auditors.loadFailed')}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      ) : list.data.firms.length === 0 ? (
        <EmptyState
          icon={<IconBuildingBank size={26} />}
          title={t('supervision.auditors.emptyTitle')}
          description={t('supervision.auditors.empty')}
        />
      ) : (
        <Firms list={list.data} manage={manage} />
      )}
    </Stack>
  );
}

function Validity({ valid, until }: { valid: boolean; until: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Badge color={valid ? 'qila.7' : 'red.8'} variant={valid ? 'light' : 'filled'} className="qila-badge-fit">
      {valid
        ? t('supervision.auditors.validUntil', { date: fmt.date(until) })
        : t('supervision.auditors.lapsed', { date: fmt.date(until) })}
    </Badge>
  );
}

function Firms({ list, manage }: { list: AuditorsList; manage: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [recording, setRecording] = useState<Auditor | null>(null);
  return (
    <Grid gutter="md">
      {manage && (
        <ConflictFormModal
          auditor={recording}
          opened={recording !== null}
          onClose={() => setRecording(null)}
        />
      )}
      {list.firms.map((f) => {
        const people = list.auditors.filter((a) => a.firmId === f.id);
        return (
          <Grid.Col key={f.id} span={12}>
            <Paper p="md" component="section" aria-labelledby={`firm-${f.id}`} data-testid="firm">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-start" gap="sm">
                  <Stack gap={2}>
                    <Title order={2} size="h4" id={`firm-${f.id}`} dir="auto">
                      {f.name}
                    </Title>
                    <Text size="sm" c="dimmed">
                      {t('supervision.auditors.licenceNo')} <span className="qila-code">{f.licenceNo}</span>
                    </Text>
                  </Stack>
                  <Validity valid={f.licenceValid} until={f.licenceValidUntil} />
                </Group>
                {people.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('supervision.auditors.noAuditors')}
                  </Text>
                ) : (
                  <Table.ScrollContainer minWidth={760}>
                    <Table fz="sm" verticalSpacing={8} striped>
                      <VisuallyHidden component="caption">
                        {t('supervision.auditors.of', { firm: f.name })}
                      </VisuallyHidden>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('supervision.auditors.name')}</Table.Th>
                          <Table.Th scope="col">{t('supervision.auditors.licenceNo')}</Table.Th>
                          <Table.Th scope="col">{t('supervision.auditors.validity')}</Table.Th>
                          <Table.Th scope="col">{t('supervision.auditors.conflicts')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {people.map((a) => (
                          <Table.Tr key={a.id} data-testid="auditor">
                            <Table.Th scope="row">
                              <Text size="sm" fw={600}>
                                {a.name}
                              </Text>
                              <Text size="xs" c="dimmed" className="qila-code">
                                {a.email}
                              </Text>
                            </Table.Th>
                            <Table.Td className="qila-code">{a.licenceNo}</Table.Td>
                            <Table.Td>
                              <Validity valid={a.licenceValid} until={a.licenceValidUntil} />
                            </Table.Td>
                            <Table.Td style={{ minWidth: 240 }}>
                              {a.conflicts.length === 0 ? (
                                <Text size="sm" c="dimmed">
                                  {t('supervision.auditors.noConflicts')}
                                </Text>
                              ) : (
                                <List size="sm" spacing={2}>
                                  {a.conflicts.map((c) => (
                                    <List.Item key={`${c.entityId}-${c.declaredAt}`}>
                                      <Text span size="sm" fw={600} lang="en" dir="auto">
                                        {c.entityName}
                                      </Text>{' '}
                                      <Text span size="sm" dir="auto">
                                        {c.statement}
                                      </Text>{' '}
                                      <Text span size="xs" c="dimmed">
                                        ({fmt.date(c.declaredAt.slice(0, 10))})
                                      </Text>
                                    </List.Item>
                                  ))}
                                </List>
                              )}
                              {manage && (
                                <Button
                                  variant="subtle"
                                  size="compact-xs"
                                  mt={4}
                                  leftSection={<IconPlus size={12} aria-hidden />}
                                  onClick={() => setRecording(a)}
                                  aria-label={t('supervision.auditors.recordConflictFor', { name: a.name })}
                                >
                                  {t('supervision.auditors.recordConflict')}
                                </Button>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Stack>
            </Paper>
          </Grid.Col>
        );
      })}
    </Grid>
  );
}
