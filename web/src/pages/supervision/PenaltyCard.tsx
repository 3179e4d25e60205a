import { Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EnforcementCase } from '../../app/supervision';
import { LegalStatusBadge } from '../../components/LegalStatusBadge';
import { useFormat } from '../../i18n/format';

/** The decision: the penalty, large, with every step of its computation, and the decision letter. */
export function PenaltyCard({ kase: c }: { kase: EnforcementCase }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const decided = c.events.some((e) => e.step === 'decision');
  if (!decided) return null;
  const outcome = (c.outcome ?? '').split(';')[0]!.trim();
  return (
    <Paper
      p="lg"
      component="section"
      aria-labelledby="decision"
      data-testid="penalty"
      style={{ borderInlineStart: '8px solid var(--mantine-color-red-8)' }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={2}>
            <Title order={2} size="h4" id="decision">
              {t('supervision.cases.decision')}
            </Title>
            <Text size="sm" fw={600}>
              {outcome === 'penalty' || outcome === 'warning' || outcome === 'dismissed'
                ? t(`supervision.outcomes.${outcome}`)
                : c.outcome}
              {c.outcome?.includes('appeal') && (
                <Text span size="sm" c="dimmed" lang="en">
                  {' '}
                  ({c.outcome.split(';').slice(1).join(';').trim()})
                </Text>
              )}
            </Text>
            <Group gap="xs" wrap="wrap">
              <Text size="xs" c="dimmed" fw={600}>
                {t('legalStatus.scheduleLabel')}
              </Text>
              <LegalStatusBadge legalStatus={c.legalStatus} size="xs" />
            </Group>
          </Stack>
          <Button
            component="a"
            href={`/api/supervision/cases/${c.id}/decision.pdf`}
            download={`${c.reference}-decision.pdf`}
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            {t('supervision.cases.downloadLetter')}
          </Button>
        </Group>
        {c.penalty ? (
          <>
            <Stack gap={0}>
              <Text size="sm" c="dimmed" fw={600}>
                {t('supervision.cases.penaltyAmount')}
              </Text>
              <Text fz={36} fw={800} c="red.9" lh={1.2} data-testid="penalty-amount">
                {fmt.money(c.penalty.amount, c.penalty.currency)}
              </Text>
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={700}>
                {t('supervision.cases.howComputed')}
              </Text>
              <List type="ordered" size="sm" spacing={4} data-testid="penalty-explanation">
                {c.penalty.explanation.map((line, i) => (
                  <List.Item key={i}>
                    <span lang="en" dir="auto">
                      {line}
                    </span>
                  </List.Item>
                ))}
              </List>
            </Stack>
          </>
        ) : (
          <Text size="sm">{t('supervision.cases.noPenalty')}</Text>
        )}
      </Stack>
    </Paper>
  );
}
