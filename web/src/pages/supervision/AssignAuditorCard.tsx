import { Alert, Button, Group, List, Select, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconUserCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../api/client';
import { auditKey, supervisionKey, useAuditors, type Audit, type Auditor } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

/** Why an auditor cannot lead this audit: a lapsed licence or a declared conflict with the entity. */
function refusal(a: Auditor, entityId: string): 'licence' | 'conflict' | null {
  if (!a.licenceValid) return 'licence';
  if (a.conflicts.some((c) => c.entityId === entityId)) return 'conflict';
  return null;
}

/** The regulator or the Authority chooses the lead auditor: licensed on the day, with no conflict. */
export function AssignAuditorCard({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const list = useAuditors();
  const [chosen, setChosen] = useState<string | null>(audit.leadAuditor?.id ?? null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: (leadAuditorId: string) =>
      unwrap(
        api.POST('/api/supervision/audits/{id}/assign', {
          params: { path: { id: audit.id } },
          body: { version: audit.version, leadAuditorId },
        }),
      ),
    onSuccess: async (next) => {
      queryClient.setQueryData(auditKey(audit.id), next);
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: 'qila',
        message: t('supervision.assign.done', { name: next.leadAuditor?.name ?? '' }),
      });
    },
    onError: (error) => {
      const e = error instanceof ApiError ? error.errors.find((x) => x.path.endsWith('leadAuditorId')) : null;
      if (e) setFieldError(e.message);
    },
  });
  const firms = new Map((list.data?.firms ?? []).map((f) => [f.id, f]));
  const auditor = list.data?.auditors.find((a) => a.id === chosen) ?? null;
  const why = auditor ? refusal(auditor, audit.entityId) : null;

  return (
    // Until fieldwork starts the lead auditor may still be changed.
    <Section
      id="assign"
      title={audit.leadAuditor ? t('supervision.assign.change') : t('supervision.assign.title')}
      description={t('supervision.assign.description')}
    >
      {list.isPending ? (
        <Skeleton h={60} aria-label={t('common.loading')} />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : (
        <Stack
          gap="sm"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!chosen) return setFieldError(t('supervision.assign.required'));
            setFieldError(null);
            assign.mutate(chosen);
          }}
          data-testid="assign-form"
        >
          {assign.isError && <ErrorAlert error={assign.error} title={t('supervision.assign.failed')} />}
          <Select
            label={t('supervision.assign.auditor')}
            placeholder={t('supervision.assign.choose')}
            searchable
            data={list.data.auditors.map((a) => {
              const r = refusal(a, audit.entityId);
              const firm = firms.get(a.firmId)?.name ?? '';
              return {
                value: a.id,
                label: `${a.name} · ${firm}${r ? ` (${t(`supervision.assign.refusal.${r}`)})` : ''}`,
                disabled: r !== null,
              };
            })}
            value={chosen}
            onChange={(v) => {
              setChosen(v);
              setFieldError(null);
            }}
            error={fieldError}
            nothingFoundMessage={t('supervision.assign.none')}
            comboboxProps={{ withinPortal: true }}
          />
          {auditor && (
            <Stack gap={4} data-testid="auditor-details">
              <Text size="sm">
                {t('supervision.auditors.licence', { no: auditor.licenceNo })}{' '}
                <Text span fw={700} c={auditor.licenceValid ? 'qila.8' : 'red.8'}>
                  {auditor.licenceValid
                    ? t('supervision.auditors.validUntil', { date: fmt.date(auditor.licenceValidUntil) })
                    : t('supervision.auditors.lapsed', { date: fmt.date(auditor.licenceValidUntil) })}
                </Text>
              </Text>
              {auditor.conflicts.length > 0 ? (
                <Stack gap={2}>
                  <Text size="sm" fw={600}>
                    {t('supervision.auditors.conflicts')}
                  </Text>
                  <List size="sm">
                    {auditor.conflicts.map((c) => (
                      <List.Item key={c.entityId}>
                        <span lang="en" dir="auto">
                          {c.entityName}: {c.statement}
                        </span>
                      </List.Item>
                    ))}
                  </List>
                </Stack>
              ) : (
                <Text size="sm">
                  {t('supervision.auditors.conflicts')}:{' '}
                  <Text span size="sm" c="dimmed">
                    {t('supervision.auditors.noConflicts')}
                  </Text>
                </Text>
              )}
            </Stack>
          )}
          {why && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />}>
              {t(`supervision.assign.refusalLong.${why}`)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={assign.isPending}
              disabled={why !== null}
              leftSection={<IconUserCheck size={16} aria-hidden />}
            >
              {audit.leadAuditor ? t('supervision.assign.submitChange') : t('supervision.assign.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Section>
  );
}
