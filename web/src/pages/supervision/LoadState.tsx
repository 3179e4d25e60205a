import { Anchor, Group, Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { IconArrowLeft, IconSearchOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';

/** A page's outline while its record loads. */
export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
      <Skeleton h={20} w={160} />
      <Skeleton h={40} w="50%" />
      <Skeleton h={220} radius="md" />
      <Skeleton h={160} radius="md" />
    </Stack>
  );
}

/** A record that failed to load: "not found" (also what the server says outside one's scope) or a retryable error. */
export function LoadError({
  error,
  title,
  notFoundTitle,
  notFoundBody,
  onRetry,
  retrying,
}: {
  error: unknown;
  title: string;
  notFoundTitle: string;
  notFoundBody: string;
  onRetry: () => void;
  retrying: boolean;
}) {
  if (error instanceof ApiError && error.status === 404)
    return <EmptyState icon={<IconSearchOff size={26} />} title={notFoundTitle} description={notFoundBody} />;
  return <ErrorAlert error={error} title={title} onRetry={onRetry} retrying={retrying} />;
}

/** "← Audits": back to a list of the module. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Anchor component={Link} to={to} size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {label}
      </Group>
    </Anchor>
  );
}

/**
 * A page about one record, under a link back to its list: an outline while it loads, "not found"
 * or a retryable error when it does not, else the record's view.
 */
export function RecordPage<T>({
  query,
  back,
  texts,
  children,
}: {
  query: UseQueryResult<T>;
  back: { to: string; label: string };
  texts: { loadFailed: string; notFoundTitle: string; notFound: string };
  children: (record: T) => ReactNode;
}) {
  if (query.isPending) return <PageSkeleton />;
  return (
    <Stack gap="md">
      <BackLink to={back.to} label={back.label} />
      {query.isError ? (
        <LoadError
          error={query.error}
          title={texts.loadFailed}
          notFoundTitle={texts.notFoundTitle}
          notFoundBody={texts.notFound}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : (
        children(query.data)
      )}
    </Stack>
  );
}
