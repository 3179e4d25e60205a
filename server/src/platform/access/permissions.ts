import { AppError, ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { Actor, RequestContext } from '../context.ts';
import { ROLE_PERMISSIONS, type Permission } from '../auth/roles.ts';

/**
 * What a machine token can never do, whatever it was granted: see or manage people, roles,
 * invitations or tokens. A leaked SIEM token must not be able to make accounts or more tokens.
 * Refused when a token is created (tokens.service) and ignored whenever one is used (below).
 */
export const NEVER_FOR_TOKENS: ReadonlySet<Permission> = new Set<Permission>([
  'users.read',
  'users.manage',
  'invitations.create',
  'tokens.create',
]);

export function permissionsOf(actor: Actor | null): Set<Permission> {
  const out = new Set<Permission>();
  for (const a of actor?.roles ?? []) for (const p of ROLE_PERMISSIONS[a.role]) out.add(p);
  // A token never exceeds what it was granted, nor what its owner may do today.
  if (actor?.token)
    return new Set(actor.token.permissions.filter((p) => out.has(p) && !NEVER_FOR_TOKENS.has(p)));
  return out;
}

/**
 * The first statement of every service function. Returns the signed-in actor so the caller can
 * build its scope filter from it.
 */
export function requirePermission(ctx: RequestContext, permission: Permission): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  if (ctx.actor.mfaPending) {
    throw new AppError(403, 'mfa_enrollment_required', 'Set up two-factor authentication to continue.');
  }
  if (!permissionsOf(ctx.actor).has(permission)) throw new ForbiddenError();
  return ctx.actor;
}

/**
 * For a person's own account (profile, password, two-factor, sessions). Machine tokens are
 * refused: a leaked SIEM token must not be able to change its owner's credentials.
 */
export function requireSignedIn(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  if (ctx.actor.token) throw new ForbiddenError('API tokens cannot manage accounts; sign in as a person.');
  return ctx.actor;
}

export function hasNationalScope(actor: Actor): boolean {
  return actor.roles.some((r) => r.scopeKind === 'national');
}
