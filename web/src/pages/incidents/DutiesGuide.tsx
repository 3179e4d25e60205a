import {
  Badge,
  Group,
  List,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconPoint } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useIncidentNames } from '../../app/incidentNames';
import { isFactField, useReferenceData } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LegalStatusBadge } from '../../components/LegalStatusBadge';
import { isMissing, type FactValues } from './facts';

/**
 * Before the first report: the reporting regimes in force and what each stage asks for, with the
 * fields already filled in ticked. Guidance only: the server decides which regimes apply.
 */
export function DutiesGuide({ values }: { values: FactValues }) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  const reference = useReferenceData();
  return (
    <Paper p="md" component="aside" aria-labelledby="duties-guide" data-testid="duties-guide">
      <Stack gap="sm">
        <Title order={2} size="h4" id="duties-guide">
          {t('reportForm.guideTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('reportForm.guideIntro')}
        </Text>
        {reference.isPending ? (
          <Skeleton h={160} />
        ) : reference.isError ? (
          <ErrorAlert error={reference.error} onRetry={() => void reference.refetch()} />
        ) : (
          reference.data.regimes.map((r) => (
            <Stack
              key={r.code}
              gap={6}
              pt="xs"
              style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
            >
              <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
                <Text fw={700} size="sm" lang="en" dir="auto">
                  {r.name}
                </Text>
                <Badge
                  variant="outline"
                  color="gray.7"
                  size="sm"
                  className="qila-badge-fit"
                  lang="en"
                  dir="auto"
                >
                  {r.authority}
                </Badge>
              </Group>
              <LegalStatusBadge legalStatus={r.legalStatus} size="xs" />
              {r.stages.map((s) => {
                const fields = s.required.filter(isFactField);
                const done = fields.filter((f) => !isMissing(values, f)).length;
                return (
                  <Stack key={s.code} gap={2}>
                    <Text size="sm" fw={600}>
                      {names.stage({ kind: s.kind, stageName: s.name })}{' '}
                      <Text span size="xs" c="dimmed">
                        {t('reportForm.fieldsDone', { done, total: fields.length })}
                      </Text>
                    </Text>
                    <List size="xs" spacing={2} listStyleType="none" withPadding={false}>
                      {fields.map((f) => {
                        const ok = !isMissing(values, f);
                        return (
                          <List.Item
                            key={f}
                            icon={
                              <ThemeIcon
                                size={16}
                                radius="xl"
                                variant={ok ? 'filled' : 'light'}
                                color={ok ? 'qila.7' : 'gray'}
                                aria-hidden
                              >
                                {ok ? <IconCheck size={11} /> : <IconPoint size={11} />}
                              </ThemeIcon>
                            }
                          >
                            {names.field(f)}
                            <VisuallyHidden>
                              {' '}
                              ({ok ? t('reportForm.filled') : t('reportForm.notFilled')})
                            </VisuallyHidden>
                          </List.Item>
                        );
                      })}
                    </List>
                  </Stack>
                );
              })}
            </Stack>
          ))
        )}
      </Stack>
    </Paper>
  );
}
