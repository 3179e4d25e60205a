import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLate, type CorrectiveAction } from '../../app/supervision';
import { PastDueBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';

/** "Due 12 March 2027", in red with a "Past due" badge once the day has gone by. */
export function ActionDue({
  action,
  size = 'sm',
}: {
  action: Pick<CorrectiveAction, 'overdue' | 'dueOn' | 'status'>;
  size?: 'xs' | 'sm';
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const late = isLate(action);
  return (
    <Group gap={6} wrap="wrap" data-testid="action-due" data-late={late || undefined}>
      <Text size={size} c={late ? 'red.8' : undefined} fw={late ? 700 : 500}>
        {t('supervision.actions.due', { date: fmt.date(action.dueOn) })}
      </Text>
      {late && <PastDueBadge size="xs" />}
    </Group>
  );
}

/** "2 of 3 milestones done", or nothing when the action has none. */
export function MilestoneCount({ milestones }: { milestones: { done: boolean }[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!milestones.length) return null;
  const done = milestones.filter((m) => m.done).length;
  return (
    <Text size="xs" c="dimmed">
      {t('supervision.actions.milestonesDone', {
        done: fmt.number(done),
        total: fmt.number(milestones.length),
      })}
    </Text>
  );
}
