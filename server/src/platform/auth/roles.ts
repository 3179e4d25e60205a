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
  'entities.manage',
  'entities.grade',
  'entities.self_service',
  'registry.import',
  'frameworks.read',
  'frameworks.manage',
  'assessments.manage',
  'assessments.review',
  'assessments.answer',
  'assessments.read',
  'jurisdiction.read',
  'jurisdiction.holidays.edit',
  'audit.read',
  'users.manage',
  'national.aggregates.read',
  'users.read',
  'invitations.create',
  'tokens.create',
  'incidents.report',
  'incidents.read',
  'incidents.handle',
  // Alerted to new reports and their news in one's scope (the CERT's watch, a regulator, a province).
  'incidents.alerts',
  'advisories.publish',
  'supervision.read',
  'supervision.manage',
  'supervision.plan',
  'supervision.audit',
  'supervision.respond',
  'enforcement.manage',
  'auditors.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const everyone: Permission[] = ['jurisdiction.read', 'frameworks.read'];
const reader: Permission[] = [...everyone, 'entities.read', 'national.aggregates.read', 'assessments.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Everything except what only a regulated entity does (its machine tokens, its own reports).
  authority_admin: PERMISSIONS.filter(
    (p) =>
      ![
        'tokens.create',
        'incidents.report',
        'incidents.alerts',
        'entities.self_service',
        'assessments.answer',
        'supervision.audit',
        'supervision.respond',
      ].includes(p),
  ),
  authority_analyst: [
    ...reader,
    'audit.read',
    'assessments.review',
    'incidents.read',
    'incidents.handle',
    'supervision.read',
  ],
  cert_analyst: [...reader, 'incidents.read', 'incidents.handle', 'incidents.alerts', 'advisories.publish'],
  sector_regulator: [
    ...reader,
    'assessments.review',
    'incidents.read',
    'incidents.alerts',
    'supervision.read',
    'supervision.manage',
  ],
  provincial_officer: [...reader, 'incidents.read', 'incidents.alerts', 'supervision.read'],
  entity_admin: [
    ...everyone,
    'entities.read',
    'entities.self_service',
    'users.read',
    'invitations.create',
    'tokens.create',
    'incidents.report',
    'incidents.read',
    'assessments.read',
    'assessments.answer',
    'supervision.read',
    'supervision.respond',
  ],
  entity_member: [
    ...everyone,
    'entities.read',
    'incidents.report',
    'incidents.read',
    'assessments.read',
    'assessments.answer',
    'supervision.read',
  ],
  auditor: [...everyone, 'entities.read', 'supervision.read', 'supervision.audit'],
  // Observers see national aggregates only, never an entity's identity.
  observer: [...everyone, 'national.aggregates.read'],
};

/** Roles whose holders must use two-factor authentication when the policy requires it. */
export const MFA_ROLES: readonly Role[] = ['authority_admin', 'authority_analyst', 'cert_analyst'];

/** Which scope each role takes. */
export const ROLE_SCOPE: Record<Role, 'national' | 'sector' | 'admin_unit' | 'entity' | 'audit'> = {
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
