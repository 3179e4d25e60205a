import type { Permission } from '../auth/roles.ts';
import type { Executor } from '../jobs/jobs.ts';
import { rolesWith } from './roles.ts';

/** What a record is known by when asking who reaches it. */
export interface Place {
  sector?: string | null;
  adminUnit?: string | null;
  entityId?: string | null;
}

/**
 * The active people whose permission reaches a place: national holders, and holders whose sector,
 * unit or entity matches it. `only` narrows to some scope kinds (e.g. the sector's regulators but
 * not the national handlers). The same rule as `reachOf`, in SQL over everyone's assignments, so a
 * notice goes to exactly the people who may open what it is about.
 */
export async function peopleReaching(
  ex: Executor,
  permission: Permission,
  place: Place = {},
  only?: readonly ('national' | 'sector' | 'admin_unit' | 'entity')[],
): Promise<string[]> {
  const rows = await namedPeopleReaching(ex, permission, place, only);
  return [...new Set(rows.map((r) => r.id))];
}

/** As `peopleReaching`, with names and the role that reaches, in name order (for pickers). */
export async function namedPeopleReaching(
  ex: Executor,
  permission: Permission,
  place: Place = {},
  only?: readonly ('national' | 'sector' | 'admin_unit' | 'entity')[],
): Promise<{ id: string; name: string; role: string }[]> {
  const roles = rolesWith(permission);
  if (!roles.length) return [];
  const want = (k: 'national' | 'sector' | 'admin_unit' | 'entity') => !only || only.includes(k);
  return ex
    .selectFrom('role_assignments')
    .innerJoin('users', 'users.id', 'role_assignments.user_id')
    .select(['users.id', 'users.display_name as name', 'role_assignments.role'])
    .distinct()
    .where('users.status', '=', 'active')
    .where('role_assignments.role', 'in', roles)
    .where((eb) => {
      const ors = [];
      if (want('national')) ors.push(eb('role_assignments.scope_kind', '=', 'national'));
      const match = (kind: 'sector' | 'admin_unit' | 'entity', value: string | null | undefined) => {
        if (value && want(kind))
          ors.push(
            eb.and([
              eb('role_assignments.scope_kind', '=', kind),
              eb('role_assignments.scope_value', '=', value),
            ]),
          );
      };
      match('sector', place.sector);
      match('admin_unit', place.adminUnit);
      match('entity', place.entityId);
      return ors.length ? eb.or(ors) : eb.lit(false);
    })
    .orderBy('users.display_name')
    .execute();
}

/** The active people holding a permission for any entity of some sectors (e.g. advisory recipients). */
export async function entityPeopleInSectors(
  ex: Executor,
  permission: Permission,
  sectors: readonly string[],
): Promise<string[]> {
  const roles = rolesWith(permission, 'entity');
  if (!roles.length || !sectors.length) return [];
  const rows = await ex
    .selectFrom('role_assignments')
    .innerJoin('entities', 'entities.id', 'role_assignments.scope_value')
    .innerJoin('users', 'users.id', 'role_assignments.user_id')
    .select('users.id')
    .distinct()
    .where('role_assignments.scope_kind', '=', 'entity')
    .where('role_assignments.role', 'in', roles)
    .where('entities.sector', 'in', sectors)
    .where('users.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a user is an active holder of a permission (e.g. someone an incident may be assigned to). */
export async function isHolder(
  ex: Executor,
  userId: string,
  permission: Permission,
): Promise<{ display_name: string } | undefined> {
  const roles = rolesWith(permission);
  if (!roles.length) return undefined;
  return ex
    .selectFrom('users')
    .innerJoin('role_assignments', 'role_assignments.user_id', 'users.id')
    .select('users.display_name')
    .where('users.id', '=', userId)
    .where('users.status', '=', 'active')
    .where('role_assignments.role', 'in', roles)
    .executeTakeFirst();
}

/** Everyone who holds a permission, for pickers (handlers to assign, recipients to name). */
export async function holdersOf(ex: Executor, permission: Permission) {
  return ex
    .selectFrom('users')
    .innerJoin('role_assignments', 'role_assignments.user_id', 'users.id')
    .select(['users.id', 'users.display_name as name'])
    .distinct()
    .where('users.status', '=', 'active')
    .where('role_assignments.role', 'in', rolesWith(permission))
    .orderBy('users.display_name')
    .execute();
}
