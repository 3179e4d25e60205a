import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeError } from './errors';

interface Props {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** A failed request, in words, with the server's reference number and an optional retry. */
export function ErrorAlert({ error, title, onRetry, retrying }: Props) {
  const { t, i18n } = useTranslation();
  const { message, serverDetail } = describeError(error, t, i18n.language);
  // A reference number helps the service desk with server faults; it is noise for a wrong password.
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertCircle aria-hidden />}
      title={title ?? t('errors.title')}
      role="alert"
    >
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {serverDetail && serverDetail !== message && (
          <Text size="xs" c="dimmed" lang="en" dir="ltr" ta="start">
            {serverDetail}
          </Text>
        )}
        {requestId && (
          <Text size="xs" c="dimmed">
            {t('errors.reference')} <span className="qila-code">{requestId}</span>
          </Text>
        )}
        {onRetry && (
          <Group>
            <Button
              size="xs"
              variant="white"
              color="red"
              leftSection={<IconRefresh size={14} aria-hidden />}
              onClick={onRetry}
              loading={retrying}
            >
              {t('actions.retry')}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
