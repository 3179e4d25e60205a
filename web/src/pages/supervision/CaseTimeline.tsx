import { Stack, Text, Timeline } from '@mantine/core';
import { IconFileText } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EnforcementCase } from '../../app/supervision';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { useSupervisionNames } from './names';

/** The case file: every step with its document, oldest first. */
export function CaseTimeline({ kase: c }: { kase: EnforcementCase }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useSupervisionNames();
  return (
    <Section id="case-file" title={t('supervision.cases.file')} description={t('supervision.cases.fileHint')}>
      <Timeline bulletSize={26} lineWidth={2} active={c.events.length - 1} data-testid="case-timeline">
        {c.events.map((e) => (
          <Timeline.Item
            key={e.id}
            bullet={<IconFileText size={14} aria-hidden />}
            color={e.step === 'decision' ? 'red.8' : 'qila'}
            title={
              <Text fw={700} size="sm" data-testid="case-event" data-step={e.step}>
                {names.caseEvent(e.step)}
              </Text>
            }
          >
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                {t('timeline.meta', { actor: e.actor, at: fmt.dateTime(e.at) })}
              </Text>
              <EventFacts event={e} />
              <Text
                size="sm"
                style={{ whiteSpace: 'pre-wrap' }}
                dir="auto"
                p="xs"
                bg="gray.0"
                bd="1px solid var(--mantine-color-gray-3)"
              >
                {e.text}
              </Text>
            </Stack>
          </Timeline.Item>
        ))}
      </Timeline>
    </Section>
  );
}

/** The hearing time, outcome, amount and factors a step recorded, as short labelled lines. */
function EventFacts({ event: e }: { event: EnforcementCase['events'][number] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useSupervisionNames();
  const outcome =
    e.outcome === null
      ? null
      : e.step === 'appeal_decision'
        ? t(`supervision.appealOutcomes.${e.outcome}`, { defaultValue: e.outcome })
        : t(`supervision.outcomes.${e.outcome}`, { defaultValue: e.outcome });
  const lines: [string, string][] = [
    ...(e.step === 'hearing' && e.hearingAt
      ? [[t('supervision.cases.hearingAt'), fmt.dateTime(e.hearingAt)] as [string, string]]
      : []),
    ...(outcome ? [[t('supervision.cases.outcome'), outcome] as [string, string]] : []),
    ...(e.amount !== null
      ? [[t('supervision.cases.penaltyAmount'), fmt.money(e.amount)] as [string, string]]
      : []),
    ...(e.factors.length
      ? [
          [
            t('supervision.cases.factors'),
            fmt.list(
              e.factors.map((f) =>
                f.months !== undefined
                  ? `${names.factor(f.code)} (${t('supervision.cases.monthsCount', { count: f.months, formatted: fmt.number(f.months) })})`
                  : names.factor(f.code),
              ),
            ),
          ] as [string, string],
        ]
      : []),
    ...(e.overrideReason ? [[t('legalStatus.overrideReason'), e.overrideReason] as [string, string]] : []),
  ];
  if (!lines.length) return null;
  return (
    <Stack gap={0} component="dl" m={0} data-testid="case-event-facts">
      {lines.map(([label, value]) => (
        <Text key={label} size="sm" component="div">
          <Text span size="sm" fw={600} component="dt" display="inline">
            {label}:
          </Text>{' '}
          <Text span size="sm" component="dd" display="inline" m={0}>
            {value}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}
