import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useCompliance } from '../../app/supervision';
import { ComplianceView } from './ComplianceView';
import { BackLink, LoadError, PageSkeleton } from './LoadState';

/** One entity's compliance, as its regulator or the Authority sees it (and the entity itself). */
export function EntityCompliancePage() {
  const { id = '' } = useParams();
  return <EntityCompliance entityId={id} />;
}

export function EntityCompliance({ entityId, back = true }: { entityId: string; back?: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const query = useCompliance(entityId);
  const backLink =
    back && can('supervision.manage') ? (
      <BackLink to="/supervision/board" label={t('supervision.board.back')} />
    ) : null;
  if (query.isPending) return <PageSkeleton />;
  if (query.isError)
    return (
      <Stack gap="md">
        {backLink}
        <LoadError
          error={query.error}
          title={t('supervision.compliance.loadFailed')}
          notFoundTitle={t('supervision.compliance.notFoundTitle')}
          notFoundBody={t('supervision.compliance.notFound')}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      </Stack>
    );
  return (
    <Stack gap="md">
      {backLink}
      <ComplianceView compliance={query.data} />
    </Stack>
  );
}
