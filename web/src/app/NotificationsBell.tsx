import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Divider,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBell, IconBellOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type ApiResponse } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { errorLine } from '../components/errors';
import { useFormat } from '../i18n/format';
import { useNames } from './jurisdiction';

type Item = ApiResponse<'/api/notifications'>['items'][number];
const KEY = ['notifications'] as const;

export function NotificationsBell({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);

  const list = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET('/api/notifications', { params: { query: { limit: 20 } } })),
    refetchInterval: 60_000,
  });
  const markRead = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('errors.title'),
        message: errorLine(error, t, i18n.language),
      }),
  });

  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  // The indicator wraps the popover, not the reverse: the popover's target (which gets
  // aria-expanded) must be the button itself, not the indicator's plain <div>.
  return (
    <Indicator
      label={fmt.number(unread)}
      size={18}
      color="red.8"
      offset={4}
      disabled={unread === 0}
      withBorder
      inline
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        width={360}
        shadow="md"
        withArrow
        trapFocus
        returnFocus
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            size="lg"
            className={className}
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications.open', { count: unread })}
            aria-expanded={opened}
          >
            <IconBell size={22} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0}>
          <Group justify="space-between" px="md" py="sm">
            <Title order={2} size="h5">
              {t('notifications.title')}
            </Title>
            <Text size="xs" c="dimmed" aria-live="polite">
              {t('notifications.unreadCount', { count: unread, formatted: fmt.number(unread) })}
            </Text>
          </Group>
          <Divider />
          {list.isPending ? (
            <Group justify="center" p="lg">
              <Loader size="sm" aria-label={t('common.loading')} />
            </Group>
          ) : list.isError ? (
            <Box p="sm">
              <ErrorAlert error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
            </Box>
          ) : items.length === 0 ? (
            <Stack align="center" gap={4} p="lg">
              <IconBellOff size={28} aria-hidden color="var(--mantine-color-gray-6)" />
              <Text size="sm" c="dimmed">
                {t('notifications.empty')}
              </Text>
            </Stack>
          ) : (
            <ScrollArea.Autosize mah={420} type="auto">
              <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                {items.map((n) => (
                  <NotificationRow
                    key={n.id}
                    item={n}
                    when={fmt.dateTime(n.createdAt, jurisdiction?.timeZone)}
                    onRead={() => markRead.mutate(n.id)}
                    marking={markRead.isPending && markRead.variables === n.id}
                    onFollow={close}
                  />
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}

function NotificationRow(props: {
  item: Item;
  when: string;
  onRead: () => void;
  marking: boolean;
  onFollow: () => void;
}) {
  const { t } = useTranslation();
  const { item, when, onRead, marking, onFollow } = props;
  const isUnread = item.readAt === null;
  const internal = item.link?.startsWith('/') ?? false;
  return (
    <Box
      component="li"
      px="md"
      py="sm"
      style={{
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        background: isUnread ? 'var(--mantine-color-qila-0)' : undefined,
      }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="sm" fw={isUnread ? 700 : 500}>
          {item.title}
        </Text>
        {isUnread && (
          <Badge size="xs" variant="filled" color="qila">
            {t('notifications.new')}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mt={2}>
        {item.body}
      </Text>
      <Group justify="space-between" mt={6} gap="xs">
        <Text size="xs" c="dimmed">
          {when}
        </Text>
        <Group gap="xs">
          {item.link &&
            (internal ? (
              <Anchor component={Link} to={item.link} size="xs" onClick={onFollow}>
                {t('notifications.openLink')}
              </Anchor>
            ) : (
              <Anchor href={item.link} size="xs" target="_blank" rel="noreferrer">
                {t('notifications.openLink')}
              </Anchor>
            ))}
          {isUnread && (
            <Button size="compact-xs" variant="light" onClick={onRead} loading={marking}>
              {t('notifications.markRead')}
            </Button>
          )}
        </Group>
      </Group>
    </Box>
  );
}
