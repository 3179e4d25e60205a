import type { Actor, RoleAssignment } from '../context.ts';
import { permissionsOf } from './permissions.ts';
import { ROLE_PERMISSIONS, ROLE_SCOPE, ROLES, type Permission, type Role } from '../auth/roles.ts';

export type ScopeKind = RoleAssignment['scopeKind'];

/**
 * The roles whose holders have a permission, optionally only those of one scope kind. Modules ask
 * this instead of naming roles, so a role catalog change cannot leave a module behind.
 */
export function rolesWith(permission: Permission, scopeKind?: ScopeKind): Role[] {
  return ROLES.filter(
    (r) => ROLE_PERMISSIONS[r].includes(permission) && (!scopeKind || ROLE_SCOPE[r] === scopeKind),
  );
}

/** Whether the actor (person or token) holds a permission at all, in any scope. */
export function holds(actor: Actor | null, permission: Permission): boolean {
  return permissionsOf(actor).has(permission);
}

/**
 * The actor's role assignments that grant a permission. A token contributes nothing beyond what
 * it was granted, so a token without the permission has no such assignments.
 */
export function grantsOf(actor: Actor, permission: Permission): RoleAssignment[] {
  if (!holds(actor, permission)) return [];
  return actor.roles.filter((r) => ROLE_PERMISSIONS[r.role].includes(permission));
}

/** The scope kind a role takes: national, sector, admin_unit, entity or audit. */
export const scopeKindOf = (role: Role): ScopeKind => ROLE_SCOPE[role];
