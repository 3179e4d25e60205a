import { Paper, Select, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMe } from '../../app/auth';
import { useEntityName } from '../../app/entities';
import { EntityPicker } from '../../components/EntityPicker';
import { PageHeader } from '../../components/PageHeader';
import { EntityCompliance } from './EntityCompliancePage';

/**
 * "Compliance" for people who are not regulators: an entity's own people see their entity (a choice
 * when they act for several); analysts and provincial officers look any entity in their remit up.
 */
export function MyCompliancePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const entityName = useEntityName();
  const [params, setParams] = useSearchParams();
  const mine = [
    ...new Set(me.roles.filter((r) => r.scopeKind === 'entity' && r.scopeValue).map((r) => r.scopeValue!)),
  ];
  if (!mine.length)
    return (
      <Stack gap="md">
        <PageHeader
          title={t('supervision.compliance.lookUpTitle')}
          description={t('supervision.compliance.lookUp')}
        />
        <Paper p="md" maw={640}>
          <EntityPicker
            label={t('supervision.entity')}
            value={null}
            onChange={(id) => id && void navigate(`/supervision/entities/${id}`)}
          />
        </Paper>
      </Stack>
    );
  const chosen = mine.find((id) => id === params.get('entity')) ?? mine[0]!;
  return (
    <Stack gap="md">
      {mine.length > 1 && (
        <Select
          maw={420}
          label={t('supervision.compliance.whichEntity')}
          data={mine.map((id) => ({ value: id, label: entityName(id) ?? id }))}
          value={chosen}
          onChange={(id) => id && setParams({ entity: id }, { replace: true })}
          allowDeselect={false}
        />
      )}
      <EntityCompliance key={chosen} entityId={chosen} back={false} />
    </Stack>
  );
}
