import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { Actor, RequestContext } from '../context.ts';
import { ROLE_PERMISSIONS, type Permission } from './roles.ts';

export function permissionsOf(actor: Actor | null): Set<Permission> {
  const out = new Set<Permission>();
  for (const a of actor?.roles ?? []) for (const p of ROLE_PERMISSIONS[a.role]) out.add(p);
  return out;
}

/**
 * The first statement of every service function. Returns the signed-in actor so the caller can
 * build its scope filter from it.
 */
export function requirePermission(ctx: RequestContext, permission: Permission): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  if (!permissionsOf(ctx.actor).has(permission)) throw new ForbiddenError();
  return ctx.actor;
}

/** For functions any signed-in user may call (their own profile, their own notifications). */
export function requireSignedIn(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  return ctx.actor;
}

export function hasNationalScope(actor: Actor): boolean {
  return actor.roles.some((r) => r.scopeKind === 'national');
}
