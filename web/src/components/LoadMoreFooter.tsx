import { Box, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert';

/** The foot of a cursor-paginated table: a retryable error, "Load more", or "end of the list". */
export function LoadMoreFooter(props: {
  query: {
    isError: boolean;
    error: unknown;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
}) {
  const { t } = useTranslation();
  const q = props.query;
  return (
    <Box px="md" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.fetchNextPage()} />}
      {q.hasNextPage ? (
        <Group justify="center">
          <Button variant="default" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t('registry.loadMore')}
          </Button>
        </Group>
      ) : (
        <Text size="sm" c="dimmed" ta="center">
          {t('registry.endOfList')}
        </Text>
      )}
    </Box>
  );
}
