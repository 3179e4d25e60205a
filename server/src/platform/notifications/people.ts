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
