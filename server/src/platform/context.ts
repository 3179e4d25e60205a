import type { Permission, Role } from './auth/roles.ts';

export interface RoleAssignment {
  role: Role;
  /** national, sector, admin_unit, entity or audit; what `scopeValue` names. */
  scopeKind: 'national' | 'sector' | 'admin_unit' | 'entity' | 'audit';
  scopeValue: string | null;
}

export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  label: string;
  roles: RoleAssignment[];
  /** Signed in, but must enrol two-factor authentication before doing anything else. */
  mfaPending?: boolean;
  /** Set when the caller is a machine client: it may use only these permissions. */
  token?: { id: string; permissions: Permission[] };
}

/** What every service function receives: who is asking, and where the request came from. */
export interface RequestContext {
  actor: Actor | null;
  requestId: string;
  ip: string | null;
}

export const systemActor = (label = 'system'): Actor => ({
  kind: 'system',
  userId: null,
  label,
  roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
});

export const systemContext = (label = 'system', requestId = 'system'): RequestContext => ({
  actor: systemActor(label),
  requestId,
  ip: null,
});
