import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDescribeScope, type Assignment, type ScopeKind } from '../app/roles';

const SCOPE_COLOR: Record<ScopeKind, string> = {
  national: 'qila',
  sector: 'blue',
  admin_unit: 'grape',
  entity: 'teal',
  audit: 'orange',
};

/**
 * A person's roles, each with the records it reaches ("Sector regulator · Telecommunications").
 * `own` when they are the signed-in user's roles (entities are then looked up only if needed).
 */
export function RoleBadges({ roles, own = false }: { roles: Assignment[]; own?: boolean }) {
  const { t } = useTranslation();
  const describeScope = useDescribeScope(own ? undefined : true);
  if (roles.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('admin.noRoles')}
      </Text>
    );
  return (
    <Group gap={6}>
      {roles.map((r, i) => (
        <Badge
          key={`${r.role}-${r.scopeValue ?? ''}-${i}`}
          variant="light"
          color={SCOPE_COLOR[r.scopeKind as ScopeKind] ?? 'gray'}
          tt="none"
          size="md"
          fw={600}
          styles={{
            root: { height: 'auto', paddingBlock: 2, maxWidth: '100%' },
            label: { whiteSpace: 'normal', textAlign: 'start' },
          }}
        >
          {r.scopeKind === 'national'
            ? t(`roles.${r.role}`)
            : t('admin.roleBadge', { role: t(`roles.${r.role}`), scope: describeScope(r) })}
        </Badge>
      ))}
    </Group>
  );
}
