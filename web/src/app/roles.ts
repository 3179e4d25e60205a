import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth, type Me } from './auth';
import { useEntityName } from './entities';
import { useNames } from './jurisdiction';
import { useAuditFirmName } from './supervision';

export type Assignment = Me['roles'][number];
export type Role = Assignment['role'];
export type ScopeKind = 'national' | 'sector' | 'admin_unit' | 'entity' | 'audit';

/** Every role, in the order the server lists them. */
export const ROLES: readonly Role[] = [
  'authority_admin',
  'authority_analyst',
  'cert_analyst',
  'sector_regulator',
  'provincial_officer',
  'entity_admin',
  'entity_member',
  'auditor',
  'observer',
];

/** Which records each role reaches (the server's ROLE_SCOPE); decides the scope picker. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  authority_admin: 'national',
  authority_analyst: 'national',
  cert_analyst: 'national',
  sector_regulator: 'sector',
  provincial_officer: 'admin_unit',
  entity_admin: 'entity',
  entity_member: 'entity',
  auditor: 'audit',
  observer: 'national',
};

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** What a user may grant: everything for Authority administrators, their entity's roles for entity administrators. */
export interface Grantable {
  roles: readonly Role[];
  /** When set, entity roles may only be given for these entities. */
  entities: string[] | null;
}

export function grantableBy(me: Me): Grantable {
  if (me.roles.some((r) => r.role === 'authority_admin')) return { roles: ROLES, entities: null };
  const entities = me.roles
    .filter((r) => r.role === 'entity_admin' && r.scopeValue)
    .map((r) => r.scopeValue!);
  return { roles: ['entity_admin', 'entity_member'], entities };
}

/**
 * The records a role assignment reaches, in words: "Telecommunications", "Acme Ltd". Naming entities
 * reads the entity directory: by default only for people whose own roles are for an entity; pages
 * that show other people's roles ask for it.
 */
export function useDescribeScope(
  lookUpEntities?: boolean,
): (a: Pick<Assignment, 'scopeKind' | 'scopeValue'>) => string {
  const { t } = useTranslation();
  const { me } = useAuth();
  const names = useNames();
  const entityName = useEntityName(
    lookUpEntities ?? Boolean(me?.roles.some((r) => r.scopeKind === 'entity')),
  );
  const firmName = useAuditFirmName(Boolean(lookUpEntities));
  return useCallback(
    (a) => {
      switch (a.scopeKind) {
        case 'national':
          return t('scope.national');
        case 'sector':
          return a.scopeValue ? names.sector(a.scopeValue) : t('scope.sector');
        case 'admin_unit':
          return a.scopeValue ? names.adminUnit(a.scopeValue) : t('scope.adminUnit');
        case 'entity':
          return (a.scopeValue ? entityName(a.scopeValue) : null) ?? t('scope.entity');
        case 'audit': {
          if (!a.scopeValue) return t('scope.audit');
          const firm = me?.auditFirms.find((f) => f.id === a.scopeValue)?.name ?? firmName(a.scopeValue);
          return firm ?? t('scope.auditNamed', { id: a.scopeValue });
        }
        default:
          return a.scopeValue ?? a.scopeKind;
      }
    },
    [t, names, entityName, me, firmName],
  );
}

/** "Sector regulator (Telecommunications)": the role and the records it reaches. */
export function useDescribeRole(lookUpEntities?: boolean): (assignment: Assignment) => string {
  const { t } = useTranslation();
  const describeScope = useDescribeScope(lookUpEntities);
  return useCallback(
    (a: Assignment) => t('scope.roleInScope', { role: t(`roles.${a.role}`), scope: describeScope(a) }),
    [t, describeScope],
  );
}
