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
