import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  // A notice names what it is about, so it is rendered for its reader at the moment they read
  // it: a report that became restricted, or a role that changed, no longer shows its content.
  await db.schema.alterTable('notifications').addColumn('subject_type', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('subject_id', 'text').execute();
}
