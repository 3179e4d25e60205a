import { z } from 'zod';
import { reachOf, scopeKindOf } from '../../platform/access/index.ts';
import { ROLE_SCOPE, ROLES } from '../../platform/auth/roles.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Actor, RoleAssignment } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

export const RoleAssignmentInput = z.object({
  role: z.enum(ROLES),
  scopeValue: z.string().trim().max(100).nullable().default(null),
});
export type RoleAssignmentInput = z.infer<typeof RoleAssignmentInput>;

/** Checks each assignment names a scope that exists (a sector, a unit, an entity) and fills in its kind. */
export async function resolveAssignments(
  p: Platform,
  input: RoleAssignmentInput[],
): Promise<RoleAssignment[]> {
  const profile = p.catalog.profile;
  const out: RoleAssignment[] = [];
  for (const [i, a] of input.entries()) {
    const scopeKind = ROLE_SCOPE[a.role];
    const where = `roles.${i}.scopeValue`;
    if (scopeKind === 'national') {
      out.push({ role: a.role, scopeKind, scopeValue: null });
      continue;
    }
    if (!a.scopeValue)
      throw new ValidationError(`The role ${a.role} needs a ${scopeKind.replace('_', ' ')}.`, {
        field: where,
      });
    const ok =
      scopeKind === 'sector'
        ? profile.sectors.some((s) => s.code === a.scopeValue)
        : scopeKind === 'admin_unit'
          ? profile.administrativeUnits.some((u) => u.code === a.scopeValue)
          : scopeKind === 'entity'
            ? Boolean(
                await p.db
                  .selectFrom('entities')
                  .select('id')
                  .where('id', '=', a.scopeValue)
                  .executeTakeFirst(),
              )
            : Boolean(
                await p.db
                  .selectFrom('audit_firms')
                  .select('id')
                  .where('id', '=', a.scopeValue)
                  .executeTakeFirst(),
              ); // an auditor belongs to a licensed audit firm
    if (!ok)
      throw new ValidationError(`There is no ${scopeKind.replace('_', ' ')} "${a.scopeValue}".`, {
        field: where,
      });
    out.push({ role: a.role, scopeKind, scopeValue: a.scopeValue });
  }
  return out;
}

/** The entities whose people an actor manages (an entity administrator's own). */
export const administeredEntities = (actor: Actor): string[] => reachOf(actor, 'invitations.create').entities;

/** Whoever manages users nationally (the Authority's administrators). */
export const isAuthorityAdmin = (actor: Actor): boolean => reachOf(actor, 'users.manage').national;

/** Authority administrators grant anything; an entity administrator grants entity roles for their own entity. */
export function mayGrant(actor: Actor, assignments: RoleAssignment[]): boolean {
  if (isAuthorityAdmin(actor)) return true;
  const mine = administeredEntities(actor);
  return assignments.every(
    (a) => scopeKindOf(a.role) === 'entity' && a.scopeValue !== null && mine.includes(a.scopeValue),
  );
}

/** Writes a user's role assignments (inside the caller's transaction). */
export async function insertAssignments(
  trx: Transaction<DB>,
  userId: string,
  roles: RoleAssignment[],
  now: string,
): Promise<void> {
  if (roles.length === 0) return;
  await trx
    .insertInto('role_assignments')
    .values(
      roles.map((r) => ({
        id: newId(),
        user_id: userId,
        role: r.role,
        scope_kind: r.scopeKind,
        scope_value: r.scopeValue,
        created_at: now,
      })),
    )
    .execute();
}
