import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { supervisionKey, today } from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';

interface Values {
  title: string;
  owner: string;
  dueOn: string;
  milestones: { title: string; dueOn: string }[];
}

/** The entity files a corrective action for a finding: what, who, by when, and the steps on the way. */
export function ActionForm({ findingId, onDone }: { findingId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { title: '', owner: '', dueOn: '', milestones: [] },
    validate: {
      title: (v) => (v.trim().length >= 3 ? null : t('supervision.actions.titleRequired')),
      owner: (v) => (v.trim().length >= 2 ? null : t('supervision.actions.ownerRequired')),
      dueOn: (v) =>
        !v ? t('supervision.dateRequired') : v < today() ? t('supervision.actions.dueInPast') : null,
      milestones: {
        title: (v) => (v.trim() ? null : t('supervision.actions.milestoneTitleRequired')),
        dueOn: (v, all) =>
          !v
            ? t('supervision.dateRequired')
            : all.dueOn && v > all.dueOn
              ? t('supervision.actions.milestoneAfterDue')
              : null,
      },
    },
  });
  const add = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/supervision/findings/{id}/actions', {
          params: { path: { id: findingId } },
          body: {
            title: v.title.trim(),
            owner: v.owner.trim(),
            dueOn: v.dueOn,
            milestones: v.milestones.map((m) => ({ title: m.title.trim(), dueOn: m.dueOn, done: false })),
          },
        }),
      ),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      onDone();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const path = fieldOf(e.path);
        form.setFieldError(path.startsWith('milestones.') ? path : path.split('.')[0]!, e.message);
      }
    },
  });
  const milestones = form.getValues().milestones;
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0">
      <form noValidate onSubmit={form.onSubmit((v) => add.mutate(v))} data-testid="action-form">
        <Stack gap="sm">
          {add.isError && <ErrorAlert error={add.error} title={t('supervision.actions.addFailed')} />}
          <TextInput
            label={t('supervision.actions.titleLabel')}
            required
            maxLength={300}
            data-autofocus
            {...form.getInputProps('title')}
          />
          <Group grow align="flex-start" gap="sm">
            <TextInput
              label={t('supervision.actions.owner')}
              description={t('supervision.actions.ownerHint')}
              required
              maxLength={200}
              {...form.getInputProps('owner')}
            />
            <TextInput
              type="date"
              label={t('supervision.actions.dueOn')}
              description={t('supervision.actions.dueHint')}
              required
              min={today()}
              {...form.getInputProps('dueOn')}
            />
          </Group>
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t('supervision.actions.milestones')}
            </Text>
            {milestones.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('supervision.actions.milestonesHint')}
              </Text>
            )}
            {milestones.map((_, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  aria-label={t('supervision.actions.milestoneTitle', { n: i + 1 })}
                  placeholder={t('supervision.actions.milestoneTitlePlaceholder')}
                  maxLength={300}
                  {...form.getInputProps(`milestones.${i}.title`)}
                />
                <TextInput
                  type="date"
                  w={170}
                  aria-label={t('supervision.actions.milestoneDue', { n: i + 1 })}
                  {...form.getInputProps(`milestones.${i}.dueOn`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={t('supervision.actions.removeMilestone', { n: i + 1 })}
                  onClick={() => form.removeListItem('milestones', i)}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => form.insertListItem('milestones', { title: '', dueOn: '' })}
                disabled={milestones.length >= 20}
              >
                {t('supervision.actions.addMilestone')}
              </Button>
            </Group>
          </Stack>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onDone}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('supervision.actions.file')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
