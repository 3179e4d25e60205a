/** Roles and the permissions each grants; scope (which records) is applied separately by scope filters. */
export const ROLES = [
  'authority_admin',
  'authority_analyst',
  'cert_analyst',
  'sector_regulator',
  'provincial_officer',
  'entity_admin',
  'entity_member',
  'auditor',
  'observer',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'entities.read',
  'entities.identity.read',
  'jurisdiction.read',
  'jurisdiction.holidays.edit',
  'notifications.read',
  'audit.read',
  'users.manage',
  'system.jobs.read',
  'national.aggregates.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everyone: Permission[] = ['jurisdiction.read', 'notifications.read'];
const reader: Permission[] = [
  ...everyone,
  'entities.read',
  'entities.identity.read',
  'national.aggregates.read',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  authority_admin: [...PERMISSIONS],
  authority_analyst: [...reader, 'audit.read'],
  cert_analyst: reader,
  sector_regulator: reader,
  provincial_officer: reader,
  entity_admin: [...everyone, 'entities.read', 'entities.identity.read'],
  entity_member: [...everyone, 'entities.read', 'entities.identity.read'],
  auditor: [...everyone, 'entities.read', 'entities.identity.read'],
  // Observers see national aggregates only, never an entity's identity.
  observer: [...everyone, 'national.aggregates.read'],
};

export const ROLE_LABELS: Record<Role, string> = {
  authority_admin: 'Authority administrator',
  authority_analyst: 'Authority analyst',
  cert_analyst: 'CERT analyst',
  sector_regulator: 'Sector regulator',
  provincial_officer: 'Provincial officer',
  entity_admin: 'Entity administrator',
  entity_member: 'Entity member',
  auditor: 'Auditor',
  observer: 'Observer',
};
