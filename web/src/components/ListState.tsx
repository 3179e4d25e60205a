import { Skeleton } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './EmptyState';
import { ErrorAlert } from './ErrorAlert';

interface Props<T> {
  query: UseQueryResult<T[]>;
  /** The title of the error shown when the list does not load (it offers to retry). */
  loadFailed: string;
  /** What an empty list says: why it is empty, and what would fill it. */
  empty: { icon: ReactNode; title: string; description?: string };
  skeletonHeight?: number;
  children: (items: T[]) => ReactNode;
}

/** A list page's states in one place: loading, failed with a retry, empty with a reason, or the list. */
export function ListState<T>({ query, loadFailed, empty, skeletonHeight = 240, children }: Props<T>) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton h={skeletonHeight} radius="md" aria-label={t('common.loading')} />;
  if (query.isError)
    return (
      <ErrorAlert
        error={query.error}
        title={loadFailed}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  if (query.data.length === 0) return <EmptyState {...empty} />;
  return children(query.data);
}
