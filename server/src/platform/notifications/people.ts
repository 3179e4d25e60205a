import type { Role } from '../auth/roles.ts';
import type { Executor } from '../jobs/jobs.ts';

/** The active people of an entity: whom its notices, reminders and requests go to. */
export async function entityPeople(ex: Executor, entityId: string): Promise<{ id: string; email: string }[]> {
  return ex
    .selectFrom('role_assignments')
    .innerJoin('users', 'users.id', 'role_assignments.user_id')
    .select(['users.id', 'users.email'])
    .distinct()
    .where('role_assignments.scope_kind', '=', 'entity')
    .where('role_assignments.scope_value', '=', entityId)
    .where('users.status', '=', 'active')
    .execute();
}

/** The active holders of a role, optionally for one scope (a sector, a unit). */
export async function peopleWithRole(ex: Executor, role: Role, scopeValue?: string): Promise<string[]> {
  let q = ex
    .selectFrom('role_assignments')
    .innerJoin('users', 'users.id', 'role_assignments.user_id')
    .select('users.id')
    .distinct()
    .where('role_assignments.role', '=', role)
    .where('users.status', '=', 'active');
  if (scopeValue !== undefined) q = q.where('role_assignments.scope_value', '=', scopeValue);
  return (await q.execute()).map((r) => r.id);
}
